/**
 * OCMF export: a completed charging session as one signed record in the Open Charge Metering
 * Format of S.A.F.E. e.V. ({@code OCMF|payload|signature}, format version 1.0), with the begin and
 * end readings of the import register and the pile's previous record hash in a vendor field, signed
 * by the pile's P-256 device key so that German tooling (the Transparenzsoftware) can check it; and
 * our own check of such a line. Pure: values in, strings and verdicts out, apart from the call into
 * the device key. The field mapping is in docs/ocmf.md.
 */
package io.wattproof.agent.ocmf;
