/**
 * The charging scenario (docs/charging.md): piles that offer themselves on the ledger, virtual
 * cars that book, start and stop, the independent check that no relay was on without a booking,
 * and the OCMF export of every session.
 */
package io.wattproof.simulator.charging;
