/**
 * Board profiles: what a meter board has and where (GPIO pins of the status LED, relay, tamper
 * switch and S0 input, the secure element's I2C bus and address, the RS-485 serial line, the
 * meter, the metering interval and the data folders), read from a {@code wattproof-board/1} YAML
 * file (docs/boards.md) or from the profiles built into the board-configs jar. A profile is
 * configuration a person writes, so the parser checks every field and reports each problem with
 * the file, the field, what was expected and what was found; it does no I/O itself.
 */
package io.wattproof.agent.board;
