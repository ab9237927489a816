/**
 * Register maps of meters as data: {@code wattproof-meter-map/1} YAML files (built-in ones listed
 * in the class-path resource {@code io/wattproof/modbus/maps/index.txt}, or a user's file) that say
 * which register holds which value in which encoding and unit; how to read a set of values in the
 * fewest requests; how to turn the registers into a reading in SI-derived units; and the inverse,
 * a register image that serves a reading back for simulated meters and tests.
 *
 * <p>Pure core, thin shell: {@link io.wattproof.modbus.maps.MeterMapParser}, {@link
 * io.wattproof.modbus.maps.ReadPlanner}, {@link io.wattproof.modbus.maps.MeterDecoder} and {@link
 * io.wattproof.modbus.maps.MeterEncoder} are pure functions; {@link
 * io.wattproof.modbus.maps.MeterMaps} reads files and {@link io.wattproof.modbus.maps.MeterReader}
 * talks to a {@link io.wattproof.modbus.master.ModbusMaster}. A register value that cannot be a
 * reading (a NaN float, an out-of-range SunSpec scale factor) fails the read with a {@link
 * io.wattproof.modbus.ModbusProtocolException} naming the register and its bytes; the user's guide
 * to writing a map is docs/meters.md.
 */
package io.wattproof.modbus.maps;
