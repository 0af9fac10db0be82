// Where a Modbus signal lives: `modbus://host:port/UNIT/REGISTER?type=T&scale=S`.
//
// REGISTER is a 1-based Modbus reference, 5 digits (00001.. coils, 10001.. discrete
// inputs, 30001.. input registers, 40001.. holding registers; up to 9999 each) or 6
// digits (000001.., 100001.., 300001.., 400001.., up to 65536 each). UNIT is the unit
// (slave) id, 0..255. Coils and discrete inputs read as bools (0/1). Registers read as
// `type`: i16 (the default), u16, i32, u32 or f32; the 32-bit types take two registers,
// the high word first (big-endian word order, "ABCD"). The value is multiplied by
// `scale` (default 1): `?scale=0.1` for a register holding tenths of a degree.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "edge/sources/address.h"

namespace gemba::edge {

enum class ModbusTable : std::uint8_t { kCoil, kDiscreteInput, kInputRegister, kHoldingRegister };
enum class ModbusType : std::uint8_t { kI16, kU16, kI32, kU32, kF32 };

struct ModbusPoint {
  int unit = 1;
  ModbusTable table = ModbusTable::kHoldingRegister;
  int offset = 0;  // 0-based, as on the wire: 40003 is holding register offset 2
  ModbusType type = ModbusType::kI16;
  double scale = 1;

  bool is_bit() const {
    return table == ModbusTable::kCoil || table == ModbusTable::kDiscreteInput;
  }
  int width() const {  // registers (or bits) it takes
    return type == ModbusType::kI32 || type == ModbusType::kU32 || type == ModbusType::kF32 ? 2 : 1;
  }
};

// From a parsed `modbus://` address; nullopt and `error` ("the register `50001` is not
// a Modbus reference (...)") when it does not say a point.
std::optional<ModbusPoint> parse_modbus_point(const Address& address, std::string* error);

// The value of `point` from its registers (`registers[0]` is the point's first), scaled.
double decode_registers(const ModbusPoint& point, const std::uint16_t* registers);

}  // namespace gemba::edge
