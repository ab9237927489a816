/**
 * Sources of light blocks ({@link io.wattproof.lightclient.provider.LightBlockProvider}) and how
 * they fail. Nothing a provider returns is trusted before the verifier has checked it.
 */
package io.wattproof.lightclient.provider;
