package org.pyuv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.pyuv4j.test.Latches;
import org.pyuv4j.test.UvTestCase;

/**
 * {@code Loop.execute()} (a Java addition): tasks from any thread run on the loop thread in the poll
 * phase, in order, wake a blocked loop, never inside the call, and their exceptions go to the excepthook.
 */
class LoopExecuteTest extends UvTestCase {
    private final List<String> order = new ArrayList<>();

    // ------------------------------------------------------------------ execute (Java addition)

    @Test
    void execute_from_another_thread_runs_on_the_loop_thread_inside_run() throws InterruptedException {
        List<Thread> ranOn = new ArrayList<>();
        Thread t = new Thread(() -> loop.execute(() -> ranOn.add(Thread.currentThread())), "submitter");
        t.start();
        t.join();
        assertEquals(List.of(), ranOn, "not before run()");
        assertTrue(loop.isAlive(), "a queued task keeps the loop alive");
        assertFalse(loop.run());
        assertEquals(List.of(Thread.currentThread()), ranOn);
    }

    @Test
    void execute_wakes_a_blocked_loop() throws InterruptedException {
        Async async = new Async(loop, null);
        CountDownLatch polling = new CountDownLatch(1);
        Prepare p = new Prepare(loop);
        p.start(h -> polling.countDown());
        List<Thread> ranOn = new ArrayList<>();
        Thread t = new Thread(() -> {
            Latches.await(polling);
            loop.execute(() -> {
                ranOn.add(Thread.currentThread());
                async.close();
                p.close();
            });
        }, "submitter");
        t.start();
        assertFalse(loop.run());
        t.join();
        assertEquals(List.of(Thread.currentThread()), ranOn);
    }

    @Test
    void execute_from_the_loop_thread_runs_later_not_inside_the_call() {
        boolean[] inCall = {false};
        Timer t = new Timer(loop);
        t.start(h -> {
            inCall[0] = true;
            loop.execute(() -> order.add("task, inCall=" + inCall[0]));
            inCall[0] = false;
            order.add("timer");
        }, 0, 0);
        assertFalse(loop.run());
        assertEquals(List.of("timer", "task, inCall=false"), order);
    }

    @Test
    void tasks_executed_during_the_poll_phase_wait_for_the_next_iteration() {
        int[] iterations = {0};
        Check check = new Check(loop);
        check.start(h -> iterations[0]++);
        List<Integer> iterationOfTask = new ArrayList<>();
        Runnable[] task = {null};
        task[0] = () -> {
            iterationOfTask.add(iterations[0]);
            if (iterationOfTask.size() < 5) {
                loop.execute(task[0]);
            } else {
                check.close();
            }
        };
        loop.execute(task[0]);
        assertFalse(loop.run());
        assertEquals(List.of(0, 1, 2, 3, 4), iterationOfTask);
    }

    @Test
    void tasks_executed_from_one_thread_run_in_order() throws InterruptedException {
        int n = 1000;
        List<Integer> ran = new ArrayList<>();
        Async keepAlive = new Async(loop, null);
        Thread t = new Thread(() -> {
            for (int i = 0; i < n; i++) {
                int id = i;
                loop.execute(() -> ran.add(id));
            }
            loop.execute(keepAlive::close);
        }, "submitter");
        t.start();
        assertFalse(loop.run());
        t.join();
        assertEquals(n, ran.size());
        for (int i = 0; i < n; i++) {
            assertEquals(i, ran.get(i));
        }
    }

    @Test
    void exception_in_an_executed_task_goes_to_the_excepthook() {
        RuntimeException boom = new RuntimeException("boom");
        List<Throwable> hooked = new ArrayList<>();
        loop.setExcepthook((l, e) -> hooked.add(e));
        loop.execute(() -> {
            throw boom;
        });
        assertThrows(NullPointerException.class, () -> loop.execute(null));
        assertFalse(loop.run());
        assertEquals(List.of(boom), hooked);
    }
}
