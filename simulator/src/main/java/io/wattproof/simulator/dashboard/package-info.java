/**
 * The simulator's live dashboard: a small HTTP server (the JDK's {@code com.sun.net.httpserver},
 * bound to 127.0.0.1) that serves one hand-written page, a JSON snapshot of the fleet and the chain,
 * a drill-down per meter, and a server-sent event stream with one snapshot per second
 * (docs/dashboard.md). The snapshot is built by pure code ({@link
 * io.wattproof.simulator.dashboard.FleetHistory}, {@link io.wattproof.simulator.dashboard.Alarms},
 * {@link io.wattproof.simulator.dashboard.DashboardJson}) from values the shell reads off a running
 * simulation; the drill-down shows a meter's records as they are on the ledger, each with its
 * device signature and its inclusion proof checked here, against a header this package's own light
 * client verified from the block it was anchored on when the dashboard started.
 */
package io.wattproof.simulator.dashboard;
