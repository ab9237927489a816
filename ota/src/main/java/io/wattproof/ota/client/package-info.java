/**
 * The device's update shell: {@link io.wattproof.ota.client.UpdateClient} takes announcements and
 * chunks from whatever channel the device has, runs the metadata checks, the download and the
 * install in order, and after the restart into a new slot lets the health check commit it or roll
 * it back. It owns no thread, clock or connection; the meter agent (or the simulator's device)
 * supplies them. docs/ota.md, "The device's update shell", states the rules.
 */
package io.wattproof.ota.client;
