/**
 * Runs light-client test cases published by other CometBFT light-client implementations against our
 * verifier, so that our verdicts can be compared with theirs case by case.
 */
package io.wattproof.lightclient.conformance;
