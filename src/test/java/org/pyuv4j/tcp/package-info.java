/**
 * The TCP conformance tests, one behaviour per class as libuv's {@code test/test-tcp-*.c}: bind,
 * connect, listen and accept, read, write, try_write, shutdown, close, names, flags, open/fileno...
 * ({@code org.pyuv4j.TcpOptionsTest}, which reads socket options through the handle's package-private
 * channel, is the one TCP behaviour test outside this package). Their fixture is
 * {@link org.pyuv4j.test.TcpTestCase}, their helpers {@link org.pyuv4j.test.TcpSupport}.
 *
 * <p>A class holds two kinds of test on its behaviour:
 * <ul>
 * <li>pyuv's TCP semantics beyond its own test suite: one test per trap of pyuv-spec.md §11 and per
 *     verified edge case of §2-§4, each checking the exception type, message and errno, or the exact
 *     order of callbacks. "(verified)" in pyuv-spec marks behaviour observed on real pyuv: that is the
 *     truth here. A few tests check behaviour that follows directly from libuv 1.13's code and Linux;
 *     their comments say so. Loopback only; every network test is bounded by a watchdog.</li>
 * <li>pyuv's {@code tests/test_tcp.py}, all 29 tests, one method each with pyuv's test name
 *     ({@code test_*}), with its choreography and assertions (see pyuv-tests.md §1), each in the class
 *     of its behaviour: {@code TCPErrorTest} in TcpConnectTest ({@code test_client1}), TcpFlagsTest
 *     ({@code test_client2}), TcpOpenFilenoTest ({@code test_open}) and TcpWriteErrorTest
 *     ({@code test_raise}); {@code TCPTest} in TcpWriteTest ({@code test_tcp1}) and TcpBindTest
 *     ({@code test_tcp_bind}); {@code TCPTest2} in TcpCloseTest; {@code TCPTest3} in TcpWriteQueueTest;
 *     {@code TCPTestMemoryview}, {@code TCPTestNull}, {@code TCPTestList} and {@code TCPTestListNull} in
 *     TcpWriteTest; {@code TCPTestInvalidData} in TcpWriteErrorTest; {@code TCPShutdownTest} in
 *     TcpShutdownTest; {@code TCPFlagsTest} in TcpOptionsTest; {@code TCPTryTest} in TcpTryWriteTest;
 *     {@code TCPTestFileno} and {@code TCPSocketFromfdTest} in TcpOpenFilenoTest; {@code TCPEarlyBindTest}
 *     in TcpBindTest; {@code TCPFamilyTest} in TcpFamilyTest.
 *     <p>Differences, all deliberate: servers listen on {@code 127.0.0.1} port 0 (pyuv: {@code 0.0.0.0}
 *     port 1234) and clients connect to the port {@code getsockname()} reports; a refused connect goes
 *     to a port that was just bound and closed; counters are asserted after {@code run()} so that a
 *     callback that never runs fails the test; busy loops are bounded. Python-only argument errors
 *     (an int or str passed to write) are mapped to what Java can express (nulls, empty list).</li>
 * </ul>
 */
package org.pyuv4j.tcp;
