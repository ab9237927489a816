/**
 * Records: a closed interval becomes a Reading chained to the device's previous record (sequence
 * +1, previous record hash), is signed with the device key and wrapped in a SignedTx. Pure apart
 * from the call into the key.
 */
package io.wattproof.agent.record;
