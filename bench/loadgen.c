/*
 * loadgen: a single-threaded epoll load generator for the echo servers of bench/run.sh.
 *
 * Why C: on a 2-core machine the load generator shares the CPU with the server under test. A
 * JVM client would bring its own JIT, GC and safepoint noise and eat a core; this program uses
 * one thread, makes no allocation in its loops and spends its time in read/write/epoll_wait.
 *
 * Modes (every one talks only to 127.0.0.1, or --host, which must be a loopback address):
 *   pingpong  N connections, each with one SIZE-byte message outstanding (default 64): send, wait
 *             for the whole echo, send again. Reports round trips/s and p50/p99/p999 latency (µs).
 *   pump      N connections streaming CHUNK-byte writes (default 64 KiB) in both directions at
 *             once: write as fast as the socket takes, read the echo back, at most WINDOW bytes
 *             (default 4 MiB) sent and not yet echoed per connection. Reports MB/s echoed (10^6 B).
 *   connrate  CONCURRENCY slots (default 4), each: connect, 1-byte echo, close; repeat. Reports
 *             connections/s. Source addresses rotate over 127.0.0.2-254 so TIME_WAIT does not
 *             exhaust the ephemeral ports.
 *   idle      opens N connections (1-byte echo on each, so the server has accepted and is reading
 *             every one), prints "READY <n>", then holds them until SIGTERM/SIGINT/SIGUSR1.
 *
 * Measurement: --warmup seconds of load are not counted, then --duration seconds are.
 * Output: human-readable lines on stderr, one machine-readable line on stdout:
 *   RESULT mode=pingpong conns=1 value=12345.6 unit=rt/s p50_us=.. p99_us=.. p999_us=.. errors=0
 *
 * Build: gcc -O2 -Wall -o loadgen loadgen.c   (bench/run.sh does this into target/)
 *
 * TLS (--tls, for the TLS rows against EchoServer --tls and NettyEchoServer --tls): compiled in only
 * when asked, so the plain build needs no OpenSSL:
 *   gcc -O2 -Wall -DLOADGEN_TLS -o loadgen-tls loadgen.c -lssl -lcrypto      (Debian: libssl-dev)
 * Every connection then does a TLS handshake (TLS 1.2+, no certificate verification: a benchmark on
 * loopback) before its first byte, and every read and write goes through SSL_read/SSL_write on the
 * same non-blocking sockets and epoll loop; connrate counts full handshakes per second (no session
 * resumption). --ciphersuites sets the TLS 1.3 suites (SSL_CTX_set_ciphersuites syntax).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifdef LOADGEN_TLS
#include <openssl/err.h>
#include <openssl/ssl.h>
#endif

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

static const char *mode;
static const char *host = "127.0.0.1";
static int port;
static int conns = 1;
static double duration = 5.0;
static double warmup = 2.0;
static int msg_size = 64;
static int newline = 0; /* pingpong: end each message with a newline (for line-decoding servers) */
static int chunk = 65536;
static long window = 4L << 20;
static int concurrency = 4;
static struct sockaddr_in server_addr;
static int epfd;
static long errors;


static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000000ull + (uint64_t) ts.tv_nsec;
}

static void die(const char *what) {
    fprintf(stderr, "loadgen: %s: %s\n", what, strerror(errno));
    exit(2);
}

static void usage(void) {
    fprintf(stderr,
            "usage: loadgen pingpong|pump|connrate|idle --port P [--host 127.0.0.1] [--conns N]\n"
            "               [--duration S] [--warmup S] [--size B] [--chunk B] [--window B]\n"
            "               [--concurrency C] [--newline 0|1] [--tls [--ciphersuites S]]   (--tls: a -DLOADGEN_TLS build)\n");
    exit(2);
}

/* ------------------------------------------------------------------ I/O: plain, or TLS (--tls) */

static int use_tls __attribute__((unused));
#ifdef LOADGEN_TLS
static const char *ciphersuites;
static SSL_CTX *tls_ctx;
static SSL **tls_of; /* by descriptor */
static long tls_max_fd;

static void tls_init(void) {
    tls_ctx = SSL_CTX_new(TLS_client_method());
    if (!tls_ctx) die("SSL_CTX_new");
    SSL_CTX_set_min_proto_version(tls_ctx, TLS1_2_VERSION);
    SSL_CTX_set_verify(tls_ctx, SSL_VERIFY_NONE, NULL);
    SSL_CTX_set_session_cache_mode(tls_ctx, SSL_SESS_CACHE_OFF); /* every handshake a full one */
    SSL_CTX_set_mode(tls_ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    if (ciphersuites && !SSL_CTX_set_ciphersuites(tls_ctx, ciphersuites)) {
        fprintf(stderr, "loadgen: bad --ciphersuites %s\n", ciphersuites);
        exit(2);
    }
    struct rlimit rl;
    tls_max_fd = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY ? (long) rl.rlim_cur : 1 << 20;
    tls_of = calloc((size_t) tls_max_fd, sizeof *tls_of);
    if (!tls_of) die("calloc");
}

/* A connected socket gets its SSL object (client mode; the handshake is driven by tls_handshake). */
static void tls_attach(int fd) {
    if (fd >= tls_max_fd) {
        fprintf(stderr, "loadgen: descriptor %d beyond the TLS table\n", fd);
        exit(2);
    }
    SSL *ssl = SSL_new(tls_ctx);
    if (!ssl || !SSL_set_fd(ssl, fd)) die("SSL_new");
    SSL_set_connect_state(ssl);
    tls_of[fd] = ssl;
}

/* 1: done; 0: call again when the socket is ready for *want (EPOLLIN/EPOLLOUT); -1: failed. */
static int tls_handshake(int fd, uint32_t *want) {
    int r = SSL_do_handshake(tls_of[fd]);
    if (r == 1) return 1;
    int e = SSL_get_error(tls_of[fd], r);
    if (e == SSL_ERROR_WANT_READ) { *want = EPOLLIN; return 0; }
    if (e == SSL_ERROR_WANT_WRITE) { *want = EPOLLOUT; return 0; }
    ERR_print_errors_fp(stderr);
    return -1;
}

/* read/write semantics: -1 with errno EAGAIN when the socket must be waited for, 0 at the peer's close. */
static ssize_t tls_result(int fd, int r) {
    if (r > 0) return r;
    int e = SSL_get_error(tls_of[fd], r);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) { errno = EAGAIN; return -1; }
    if (e == SSL_ERROR_ZERO_RETURN) return 0;
    if (e != SSL_ERROR_SYSCALL || errno == 0) errno = EIO;
    return -1;
}
#endif

static ssize_t io_read(int fd, void *buf, size_t n) {
#ifdef LOADGEN_TLS
    if (use_tls) return tls_result(fd, SSL_read(tls_of[fd], buf, (int) n));
#endif
    return read(fd, buf, n);
}

static ssize_t io_write(int fd, const void *buf, size_t n) {
#ifdef LOADGEN_TLS
    if (use_tls) return tls_result(fd, SSL_write(tls_of[fd], buf, (int) n));
#endif
    return write(fd, buf, n);
}

static void io_close(int fd) {
#ifdef LOADGEN_TLS
    if (use_tls && tls_of[fd]) {
        SSL_free(tls_of[fd]);
        tls_of[fd] = NULL;
    }
#endif
    close(fd);
}

static void set_nodelay(int fd) {
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

/* A non-blocking socket with a connect() in progress (or done). src: 0 = any, else 127.0.0.src. */
static int start_connect(int src) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) die("socket");
    set_nodelay(fd);
    if (src) {
        int one = 1;
        struct sockaddr_in a;
        memset(&a, 0, sizeof a);
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(0x7f000000u | (uint32_t) src);
        setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        if (bind(fd, (struct sockaddr *) &a, sizeof a) < 0) die("bind source address");
    }
    if (connect(fd, (struct sockaddr *) &server_addr, sizeof server_addr) < 0 && errno != EINPROGRESS) {
        die("connect");
    }
    return fd;
}

static int connect_error(int fd) {
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
    return err;
}

static void ep_add(int fd, uint32_t events, uint64_t data) {
    struct epoll_event ev = {.events = events, .data.u64 = data};
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) die("epoll_ctl add");
}

static void ep_mod(int fd, uint32_t events, uint64_t data) {
    struct epoll_event ev = {.events = events, .data.u64 = data};
    if (epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ev) < 0) die("epoll_ctl mod");
}

/*
 * Opens n connections, at most `batch` connecting at once, and completes a 1-byte echo on each
 * (so the server has accepted every one and is reading it). Returns blocking-mode-agnostic fds,
 * non-blocking, TCP_NODELAY.
 */
static int *open_echoed(int n, int batch) {
    int *fds = calloc((size_t) n, sizeof *fds);
    int *state = calloc((size_t) n, sizeof *state); /* 0 connecting, 3 TLS handshake, 1 waiting echo, 2 done */
    if (!fds || !state) die("calloc");
    int next = 0, done = 0, inflight = 0;
    struct epoll_event evs[256];
    uint64_t deadline = now_ns() + 120ull * 1000000000ull;
    while (done < n) {
        while (next < n && inflight < batch) {
            fds[next] = start_connect(0);
            ep_add(fds[next], EPOLLOUT, (uint64_t) next);
            next++;
            inflight++;
        }
        int k = epoll_wait(epfd, evs, 256, 1000);
        if (k < 0 && errno != EINTR) die("epoll_wait");
        if (now_ns() > deadline) {
            fprintf(stderr, "loadgen: timed out opening connections (%d of %d)\n", done, n);
            exit(3);
        }
        for (int i = 0; i < k; i++) {
            int c = (int) evs[i].data.u64;
            int fd = fds[c];
            if (state[c] == 0 || state[c] == 3) {
                if (state[c] == 0) {
                    int err = connect_error(fd);
                    if (err) {
                        errno = err;
                        die("connect (setup)");
                    }
#ifdef LOADGEN_TLS
                    if (use_tls) {
                        tls_attach(fd);
                        state[c] = 3;
                    }
#endif
                }
#ifdef LOADGEN_TLS
                if (state[c] == 3) {
                    uint32_t want = 0;
                    int h = tls_handshake(fd, &want);
                    if (h < 0) {
                        fprintf(stderr, "loadgen: TLS handshake failed (setup)\n");
                        exit(3);
                    }
                    if (h == 0) {
                        ep_mod(fd, want, (uint64_t) c);
                        continue;
                    }
                }
#endif
                char b = newline ? '\n' : 'x'; /* a line-decoding server echoes only whole lines */
                if (io_write(fd, &b, 1) != 1) die("write (setup)");
                state[c] = 1;
                ep_mod(fd, EPOLLIN, (uint64_t) c);
            } else if (state[c] == 1) {
                char b;
                ssize_t r = io_read(fd, &b, 1);
                if (r == 1) {
                    state[c] = 2;
                    done++;
                    inflight--;
                    epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
                } else if (r == 0 || (r < 0 && errno != EAGAIN)) {
                    fprintf(stderr, "loadgen: connection %d closed during setup\n", c);
                    exit(3);
                }
            }
        }
    }
    free(state);
    return fds;
}

/* ------------------------------------------------------------------ latency histogram */

#define HIST_NS 100            /* bucket width: 0.1 µs */
#define HIST_BUCKETS 1000000   /* up to 100 ms */
static uint32_t *hist;
static uint64_t hist_count, hist_over;

static void hist_add(uint64_t ns) {
    uint64_t b = ns / HIST_NS;
    if (b >= HIST_BUCKETS) {
        hist_over++;
    } else {
        hist[b]++;
    }
    hist_count++;
}

static double hist_pct(double p) {
    if (hist_count == 0) return 0;
    uint64_t target = (uint64_t) (p * (double) hist_count);
    if (target >= hist_count) target = hist_count - 1;
    uint64_t seen = 0;
    for (int i = 0; i < HIST_BUCKETS; i++) {
        seen += hist[i];
        if (seen > target) return (i + 0.5) * HIST_NS / 1000.0;
    }
    return HIST_BUCKETS * (double) HIST_NS / 1000.0;
}

/* ------------------------------------------------------------------ pingpong */

struct pp {
    int fd;
    int got;
    uint64_t sent_at;
};

static void pp_send(struct pp *c, const char *msg) {
    ssize_t w = io_write(c->fd, msg, (size_t) msg_size);
    if (w != msg_size) {
        /* 64 bytes into an empty socket buffer: a short write means the server is gone */
        errors++;
        fprintf(stderr, "loadgen: short write %zd: %s\n", w, strerror(errno));
        exit(3);
    }
    c->got = 0;
    c->sent_at = now_ns();
}

static void run_pingpong(void) {
    hist = calloc(HIST_BUCKETS, sizeof *hist);
    struct pp *cs = calloc((size_t) conns, sizeof *cs);
    char *msg = malloc((size_t) msg_size), *buf = malloc((size_t) msg_size);
    if (!hist || !cs || !msg || !buf) die("alloc");
    memset(msg, 'p', (size_t) msg_size);
    if (newline) msg[msg_size - 1] = '\n';
    int *fds = open_echoed(conns, 256);
    for (int i = 0; i < conns; i++) {
        cs[i].fd = fds[i];
        ep_add(fds[i], EPOLLIN, (uint64_t) i);
    }
    free(fds);
    uint64_t start = now_ns();
    uint64_t measure_from = start + (uint64_t) (warmup * 1e9);
    uint64_t end = measure_from + (uint64_t) (duration * 1e9);
    uint64_t count = 0;
    for (int i = 0; i < conns; i++) pp_send(&cs[i], msg);
    struct epoll_event evs[512];
    for (;;) {
        int k = epoll_wait(epfd, evs, 512, 100);
        if (k < 0 && errno != EINTR) die("epoll_wait");
        uint64_t t = now_ns();
        if (t >= end) break;
        int measuring = t >= measure_from;
        for (int i = 0; i < k; i++) {
            struct pp *c = &cs[evs[i].data.u64];
            ssize_t r = io_read(c->fd, buf, (size_t) (msg_size - c->got));
            if (r > 0) {
                c->got += (int) r;
                if (c->got == msg_size) {
                    if (measuring) {
                        hist_add(t - c->sent_at);
                        count++;
                    }
                    pp_send(c, msg);
                }
            } else if (r == 0 || errno != EAGAIN) {
                fprintf(stderr, "loadgen: server closed a connection\n");
                exit(3);
            }
        }
    }
    double rate = (double) count / duration;
    fprintf(stderr, "pingpong: %d conns, %.0f round trips/s, p50 %.1f us, p99 %.1f us, p99.9 %.1f us (%llu samples, %llu > 100 ms)\n",
            conns, rate, hist_pct(0.50), hist_pct(0.99), hist_pct(0.999),
            (unsigned long long) hist_count, (unsigned long long) hist_over);
    printf("RESULT mode=pingpong conns=%d value=%.1f unit=rt/s p50_us=%.1f p99_us=%.1f p999_us=%.1f errors=%ld\n",
           conns, rate, hist_pct(0.50), hist_pct(0.99), hist_pct(0.999), errors);
}

/* ------------------------------------------------------------------ pump */

struct pc {
    int fd;
    long sent, received;
    int off; /* bytes of the current chunk already written */
};

static char *pump_out, *pump_in;

static int pump_write(struct pc *c) {
    while (c->sent - c->received < window) {
        size_t n = (size_t) (chunk - c->off);
        ssize_t w = io_write(c->fd, pump_out + c->off, n);
        if (w < 0) {
            if (errno == EAGAIN) return 0;
            return -1;
        }
        c->sent += w;
        c->off += (int) w;
        if (c->off == chunk) c->off = 0;
    }
    return 0;
}

static void run_pump(void) {
    struct pc *cs = calloc((size_t) conns, sizeof *cs);
    pump_out = malloc((size_t) chunk);
    pump_in = malloc((size_t) chunk);
    if (!cs || !pump_out || !pump_in) die("alloc");
    for (int i = 0; i < chunk; i++) pump_out[i] = (char) i;
    int *fds = open_echoed(conns, 256);
    for (int i = 0; i < conns; i++) {
        cs[i].fd = fds[i];
        ep_add(fds[i], EPOLLIN | EPOLLOUT | EPOLLET, (uint64_t) i);
    }
    free(fds);
    uint64_t start = now_ns();
    uint64_t measure_from = start + (uint64_t) (warmup * 1e9);
    uint64_t end = measure_from + (uint64_t) (duration * 1e9);
    long measured = 0;
    struct epoll_event evs[512];
    for (int i = 0; i < conns; i++) pump_write(&cs[i]);
    for (;;) {
        int k = epoll_wait(epfd, evs, 512, 100);
        if (k < 0 && errno != EINTR) die("epoll_wait");
        uint64_t t = now_ns();
        if (t >= end) break;
        int measuring = t >= measure_from;
        for (int i = 0; i < k; i++) {
            struct pc *c = &cs[evs[i].data.u64];
            if (evs[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
                for (;;) {
                    ssize_t r = io_read(c->fd, pump_in, (size_t) chunk);
                    if (r > 0) {
                        c->received += r;
                        if (measuring) measured += r;
                        continue;
                    }
                    if (r == 0 || errno != EAGAIN) {
                        fprintf(stderr, "loadgen: server closed a connection\n");
                        exit(3);
                    }
                    break;
                }
            }
            if (pump_write(c) < 0) {
                fprintf(stderr, "loadgen: write failed: %s\n", strerror(errno));
                exit(3);
            }
        }
    }
    double mbs = (double) measured / 1e6 / duration;
    fprintf(stderr, "pump: %d conns, %.1f MB/s echoed (chunk %d, window %ld)\n", conns, mbs, chunk, window);
    printf("RESULT mode=pump conns=%d value=%.1f unit=MB/s errors=%ld\n", conns, mbs, errors);
}

/* ------------------------------------------------------------------ connrate */

static void run_connrate(void) {
    int *fds = calloc((size_t) concurrency, sizeof *fds);
    int *state = calloc((size_t) concurrency, sizeof *state); /* 0 connecting, 2 TLS handshake, 1 waiting for the echo */
    if (!fds || !state) die("calloc");
    int src = 2;
    uint64_t start = now_ns();
    uint64_t measure_from = start + (uint64_t) (warmup * 1e9);
    uint64_t end = measure_from + (uint64_t) (duration * 1e9);
    uint64_t count = 0;
    for (int i = 0; i < concurrency; i++) {
        fds[i] = start_connect(src);
        src = src == 254 ? 2 : src + 1;
        ep_add(fds[i], EPOLLOUT, (uint64_t) i);
    }
    struct epoll_event evs[256];
    for (;;) {
        int k = epoll_wait(epfd, evs, 256, 100);
        if (k < 0 && errno != EINTR) die("epoll_wait");
        uint64_t t = now_ns();
        if (t >= end) break;
        for (int i = 0; i < k; i++) {
            int s = (int) evs[i].data.u64;
            int fd = fds[s];
            int handshake_failed = 0;
#ifdef LOADGEN_TLS
            if (state[s] == 0 && use_tls) {
                if (connect_error(fd) == 0) {
                    tls_attach(fd);
                    state[s] = 2;
                }
            }
            if (state[s] == 2) {
                uint32_t want = 0;
                int h = tls_handshake(fd, &want);
                if (h == 0) {
                    ep_mod(fd, want, (uint64_t) s);
                    continue;
                }
                handshake_failed = h < 0;
                state[s] = 0; /* connected and handshaken: on to the echo below */
            }
#endif
            if (handshake_failed) {
                errors++;
                if (errors > 100) exit(3);
            } else if (state[s] == 0) {
                int err = connect_error(fd);
                if (err) {
                    errno = err;
                    errors++;
                    fprintf(stderr, "loadgen: connect: %s\n", strerror(err));
                    if (errors > 100) exit(3);
                } else {
                    char b = 'c';
                    if (io_write(fd, &b, 1) == 1) {
                        state[s] = 1;
                        ep_mod(fd, EPOLLIN, (uint64_t) s);
                        continue;
                    }
                    errors++;
                }
            } else {
                char b;
                ssize_t r = io_read(fd, &b, 1);
                if (r < 0 && errno == EAGAIN) continue;
                if (r == 1) {
                    if (t >= measure_from) count++;
                } else {
                    errors++;
                }
            }
            /* done (or failed): close and start the next connection in this slot */
            io_close(fd);
            fds[s] = start_connect(src);
            src = src == 254 ? 2 : src + 1;
            state[s] = 0;
            ep_add(fds[s], EPOLLOUT, (uint64_t) s);
        }
    }
    double rate = (double) count / duration;
    fprintf(stderr, "connrate: concurrency %d, %.0f connections/s (%ld errors)\n", concurrency, rate, errors);
    printf("RESULT mode=connrate conns=%d value=%.1f unit=conn/s errors=%ld\n", concurrency, rate, errors);
}

/* ------------------------------------------------------------------ idle */

static volatile sig_atomic_t released;

static void on_signal(int sig) {
    (void) sig;
    released = 1;
}

static void run_idle(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGUSR1, &sa, NULL);
    uint64_t t0 = now_ns();
    int *fds = open_echoed(conns, 256);
    double secs = (double) (now_ns() - t0) / 1e9;
    fprintf(stderr, "idle: %d connections open and echoed in %.2f s\n", conns, secs);
    printf("READY %d\n", conns);
    fflush(stdout);
    /* Hold the connections; a closed one would show up as readable. */
    for (int i = 0; i < conns; i++) ep_add(fds[i], EPOLLIN | EPOLLRDHUP, (uint64_t) i);
    long lost = 0;
    struct epoll_event evs[256];
    while (!released) {
        int k = epoll_wait(epfd, evs, 256, 200);
        for (int i = 0; i < k; i++) {
            lost++;
            epoll_ctl(epfd, EPOLL_CTL_DEL, fds[evs[i].data.u64], NULL);
        }
    }
    for (int i = 0; i < conns; i++) close(fds[i]);
    printf("RESULT mode=idle conns=%d value=%.3f unit=s-to-open errors=%ld\n", conns, secs, lost);
}

/* ------------------------------------------------------------------ main */

int main(int argc, char **argv) {
    if (argc < 2) usage();
    mode = argv[1];
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--tls")) {
#ifdef LOADGEN_TLS
            use_tls = 1;
            continue;
#else
            fprintf(stderr, "loadgen: --tls needs a build with -DLOADGEN_TLS -lssl -lcrypto\n");
            return 2;
#endif
        }
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v) usage();
        if (!strcmp(a, "--host")) host = v;
        else if (!strcmp(a, "--port")) port = atoi(v);
        else if (!strcmp(a, "--conns")) conns = atoi(v);
        else if (!strcmp(a, "--duration")) duration = atof(v);
        else if (!strcmp(a, "--warmup")) warmup = atof(v);
        else if (!strcmp(a, "--size")) msg_size = atoi(v);
        else if (!strcmp(a, "--chunk")) chunk = atoi(v);
        else if (!strcmp(a, "--window")) window = atol(v);
        else if (!strcmp(a, "--concurrency")) concurrency = atoi(v);
        else if (!strcmp(a, "--newline")) newline = atoi(v);
#ifdef LOADGEN_TLS
        else if (!strcmp(a, "--ciphersuites")) ciphersuites = v;
#endif
        else usage();
        i++;
    }
    if (port <= 0 || port > 65535 || conns < 1 || duration <= 0 || warmup < 0 || msg_size < 1 || chunk < 1
        || window < chunk || concurrency < 1) {
        usage();
    }
    memset(&server_addr, 0, sizeof server_addr);
    server_addr.sin_family = AF_INET;
    server_addr.sin_port = htons((uint16_t) port);
    if (inet_pton(AF_INET, host, &server_addr.sin_addr) != 1) usage();
    if ((ntohl(server_addr.sin_addr.s_addr) >> 24) != 127) {
        fprintf(stderr, "loadgen: only loopback addresses (127.0.0.0/8) are allowed\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
#ifdef LOADGEN_TLS
    if (use_tls) tls_init();
#endif
    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) die("epoll_create1");
    if (!strcmp(mode, "pingpong")) run_pingpong();
    else if (!strcmp(mode, "pump")) run_pump();
    else if (!strcmp(mode, "connrate")) run_connrate();
    else if (!strcmp(mode, "idle")) run_idle();
    else usage();
    fflush(stdout);
    return 0;
}
