#include "edge/sources/modbus_point.h"

#include <charconv>
#include <cmath>
#include <cstring>

namespace gemba::edge {
namespace {

const char* kReferences =
    "00001.. coils, 10001.. discrete inputs, 30001.. input registers, 40001.. holding "
    "registers";

bool all_digits(const std::string& text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool table_of(char digit, ModbusTable* table) {
  switch (digit) {
    case '0':
      *table = ModbusTable::kCoil;
      return true;
    case '1':
      *table = ModbusTable::kDiscreteInput;
      return true;
    case '3':
      *table = ModbusTable::kInputRegister;
      return true;
    case '4':
      *table = ModbusTable::kHoldingRegister;
      return true;
    default:
      return false;
  }
}

bool parse_register(const std::string& text, ModbusPoint& point) {
  if (!all_digits(text) || (text.size() != 5 && text.size() != 6)) return false;
  if (!table_of(text[0], &point.table)) return false;
  int number = std::stoi(text.substr(1));
  int max = text.size() == 5 ? 9999 : 65536;
  if (number < 1 || number > max) return false;
  point.offset = number - 1;
  return true;
}

}  // namespace

std::optional<ModbusPoint> parse_modbus_point(const Address& address, std::string* error) {
  ModbusPoint point;
  const std::string& path = address.path;
  std::size_t slash = path.find('/');
  if (slash == std::string::npos || path.find('/', slash + 1) != std::string::npos) {
    *error = "has no `/unit/register` after the host (modbus://host:port/1/40003)";
    return std::nullopt;
  }
  std::string unit = path.substr(0, slash), reference = path.substr(slash + 1);
  if (!all_digits(unit) || unit.size() > 3 || std::stoi(unit) > 255) {
    *error = "the unit id `" + unit + "` is not a number in 0..255";
    return std::nullopt;
  }
  point.unit = std::stoi(unit);
  if (!parse_register(reference, point)) {
    *error = "the register `" + reference + "` is not a Modbus reference (" + kReferences + ")";
    return std::nullopt;
  }
  for (const auto& [key, value] : address.query) {
    if (key == "type") {
      if (value == "i16")
        point.type = ModbusType::kI16;
      else if (value == "u16")
        point.type = ModbusType::kU16;
      else if (value == "i32")
        point.type = ModbusType::kI32;
      else if (value == "u32")
        point.type = ModbusType::kU32;
      else if (value == "f32")
        point.type = ModbusType::kF32;
      else {
        *error = "the type `" + value + "` is not one of i16, u16, i32, u32, f32";
        return std::nullopt;
      }
    } else if (key == "scale") {
      double scale = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), scale);
      if (ec != std::errc() || end != value.data() + value.size() || !std::isfinite(scale) ||
          scale == 0) {
        *error = "the scale `" + value + "` is not a non-zero number";
        return std::nullopt;
      }
      point.scale = scale;
    } else {
      *error = "the query item `" + key + "` is not `type` or `scale`";
      return std::nullopt;
    }
  }
  if (point.is_bit() && !address.query.empty()) {
    *error = "a coil or discrete input reads as a bool: `type` and `scale` do not apply";
    return std::nullopt;
  }
  if (point.offset + point.width() > 65536) {
    *error = "the register `" + reference + "` is the last one: a 32-bit value needs two";
    return std::nullopt;
  }
  return point;
}

double decode_registers(const ModbusPoint& point, const std::uint16_t* registers) {
  const std::uint32_t wide =
      (static_cast<std::uint32_t>(registers[0]) << 16) | (point.width() == 2 ? registers[1] : 0);
  double value = 0;
  switch (point.type) {
    case ModbusType::kI16:
      value = static_cast<std::int16_t>(registers[0]);
      break;
    case ModbusType::kU16:
      value = registers[0];
      break;
    case ModbusType::kI32:
      value = static_cast<std::int32_t>(wide);
      break;
    case ModbusType::kU32:
      value = wide;
      break;
    case ModbusType::kF32: {
      float f;
      std::memcpy(&f, &wide, sizeof f);
      value = f;
      break;
    }
  }
  return value * point.scale;
}

}  // namespace gemba::edge
