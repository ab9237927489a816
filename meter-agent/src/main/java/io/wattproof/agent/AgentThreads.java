package io.wattproof.agent;

import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;

/**
 * Which threads an agent's long-lived jobs run on: its worker, its ledger follower, its uplink's
 * reconnect timer and the MQTT client's reader, writer and callback loops. On a board one agent
 * runs per process and each job gets a platform thread, as always. A process that hosts a fleet of
 * agents (the simulator) switches the whole process to virtual threads once, before the first
 * agent starts: every job waits almost all the time, and ten thousand agents would otherwise need
 * some sixty thousand platform threads (six per agent, measured), more than a Linux
 * {@code pid_max} of 32768 allows.
 *
 * <p>The switch is process-wide on purpose: it is a property of the process that hosts agents, not
 * of one agent, and it must not change while agents run.
 */
public final class AgentThreads {
    private static volatile boolean virtual;
    private static volatile ScheduledExecutorService mqttLoops;

    private AgentThreads() {}

    /** From now on, agents started in this process run their jobs on virtual threads. */
    public static synchronized void useVirtualThreads() {
        if (!virtual) {
            mqttLoops = new VirtualLoops();
            virtual = true;
        }
    }

    /** Whether {@link #useVirtualThreads} was called. */
    public static boolean virtual() {
        return virtual;
    }

    /** Threads for one long-lived job named {@code name}: daemon platform threads, or virtual threads. */
    public static ThreadFactory named(String name) {
        return virtual ? Thread.ofVirtual().name(name).factory() : Thread.ofPlatform().name(name).daemon().factory();
    }

    /**
     * The executor to give Paho's {@code MqttAsyncClient}, or null for Paho's own platform threads.
     * Paho submits its reader, writer and callback loops (which run until the connection ends) and
     * schedules its keep-alive pings on it, and never shuts it down, so one serves every client.
     */
    public static ScheduledExecutorService mqttExecutor() {
        return mqttLoops;
    }

    /**
     * Runs what is submitted or executed on a new virtual thread each (Paho's loops block on their
     * socket for the connection's life), and what is scheduled on one shared daemon timer thread
     * (keep-alive pings: short tasks that only queue a PINGREQ).
     */
    private static final class VirtualLoops extends ScheduledThreadPoolExecutor {
        VirtualLoops() {
            super(1, Thread.ofPlatform().name("mqtt-timers").daemon().factory());
        }

        @Override
        public void execute(Runnable command) {
            Thread.ofVirtual().name("mqtt-loop").start(command);
        }

        @Override
        public Future<?> submit(Runnable task) {
            FutureTask<Object> f = new FutureTask<>(task, null);
            execute(f);
            return f;
        }

        @Override
        public <T> Future<T> submit(Runnable task, T result) {
            FutureTask<T> f = new FutureTask<>(task, result);
            execute(f);
            return f;
        }

        @Override
        public <T> Future<T> submit(Callable<T> task) {
            FutureTask<T> f = new FutureTask<>(task);
            execute(f);
            return f;
        }
    }
}
