/**
 * Fetching an image in chunks, over whatever channel carries the messages (MQTT or HTTPS), and
 * resuming after a restart. {@link io.wattproof.ota.transport.Download} is the pure state
 * machine: it says which bytes to ask for next and judges each {@link io.wattproof.ota.v1.Chunk}
 * against the length and SHA-256 of a verified {@link io.wattproof.ota.metadata.ImageEntry}, so
 * no byte past the announced length is ever accepted; {@link
 * io.wattproof.ota.transport.DownloadFile} is the thin shell that appends accepted bytes to a part
 * file and renames it once the whole image is verified. docs/ota.md, "Transport", states the rules.
 */
package io.wattproof.ota.transport;
