// The lowered form of a specialized program: what the reference interpreter
// (compiler/interp/) executes and the code generator (compiler/jit/) compiles, so that
// the two can be tested against each other. Documented in compiler/lower/README.md.
//
// A module holds pure functions (limit checks, collect-rule validations, user functions,
// KPI formulas, and every expression of its procedures) and the procedures' state
// machines (machine.h). Every value is a plain 64-bit scalar; every quantity is a `real`
// in the coherent base units of its dimension (plant constants are already folded in, so
// no unit survives lowering). A function is an expression tree in a flat node array.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/diag/source.h"
#include "compiler/lower/machine.h"

namespace gemba::lower {

enum class Type : std::uint8_t { kBool, kInt, kReal };
const char* spelling(Type type);  // "bool", "int", "real"

// One argument or result: the member named by the function's types.
union Scalar {
  bool b;
  std::int64_t i;
  double r;
};
static_assert(sizeof(Scalar) == 8);

enum class Op : std::uint8_t {
  kConst,  // `value`
  kParam,  // argument `index`
  kNeg,    // -a (int, real)
  kNot,    // not a (bool)
  kAdd,    // a + b (int, real)
  kSub,
  kMul,
  kDiv,  // a / b: real only (int / int is lowered as real)
  kMod,  // a % b (int, real)
  kLt,   // a < b -> bool, operands of one type (int, real)
  kLe,
  kGt,
  kGe,
  kEq,  // a == b, any one type
  kNe,
  kAnd,     // a and b: b is evaluated only when a is true
  kOr,      // a or b: b is evaluated only when a is false
  kToReal,  // int -> real
  kCall,    // function `index` of the module with `args`
};

// Why a function stopped without a result. Both executors report the same fault for
// the same input (see README.md, "Run-time semantics").
enum class Fault : std::int32_t {
  kNone = 0,
  kDivisionByZero,  // int or real `/` or `%` by zero
  kOverflow,        // int + - * or negation outside int64 (INT64_MIN % -1 is 0)
  kNotANumber,      // a real operation produced NaN (also from a NaN argument)
  kInfinite,        // a real operation produced +-infinity from finite operands
  kCallDepth,       // calls nested deeper than kMaxCallDepth (the entry is depth 0);
                    // sema rejects recursion, verify() does not
  // Faults of a procedure's transition (machine.h), not of an expression:
  kEventNotExpected,  // the current wait takes no event of this kind (or value)
  kTooManyEffects,    // more effects than the caller's buffer holds
  kStepLimit,         // more than kMaxBlocksPerTransition blocks in one transition
  kBadState,          // the frame's state slot names no wait
};
const char* describe(Fault fault);

inline constexpr int kMaxCallDepth = 64;

struct Node {
  Op op = Op::kConst;
  Type type = Type::kReal;          // the type of the node's value
  Scalar value{};                   // kConst
  std::uint32_t index = 0;          // kParam: the argument; kCall: the callee
  std::vector<std::uint32_t> args;  // operands, as indexes of earlier nodes
  diag::Span span;                  // where a fault here is reported
};

// A pure function. Invariant: every operand index is smaller than the node's own
// index; `root` is the last node.
struct Function {
  std::string name;  // unique in the module; a C identifier
  // Exported with the single and batch entry points. False for a procedure's
  // expressions: only its transition calls them, so they get no entry points.
  bool entry = true;
  std::vector<Type> params;
  Type result = Type::kReal;
  std::vector<Node> nodes;
  std::uint32_t root = 0;
  diag::Span span;
};

// The ABI both executors share: arguments in, one result out, a fault code back.
//   int32_t fn(const Scalar* args, Scalar* result, uint32_t* fault_site);
// A bool result is a zero-extended 64-bit word. A fault inside a callee is reported at
// the caller's kCall node (sites are indexes into the called entry's own nodes).
// On a fault, `*result` is unspecified and `*fault_site` (when not null) gets the
// index of the node that faulted, so the caller can report its span.
using EntryPoint = std::int32_t (*)(const Scalar* args, Scalar* result, std::uint32_t* fault_site);

// The batch ABI, one call for `count` items (exported as `<function>.batch`):
//   int32_t fn(const Scalar* args, Scalar* results, uint64_t count,
//              uint64_t* fault_item, uint32_t* fault_site);
// `args` holds `count` records of one scalar per parameter, record after record;
// `results[k]` gets item k's result. Items run in order and stop at the first fault:
// the return value and `*fault_site` are that item's, as from EntryPoint, and
// `*fault_item` (when not null) is its index; results of the items before it are
// written, the rest are unspecified.
using BatchEntryPoint = std::int32_t (*)(const Scalar* args, Scalar* results, std::uint64_t count,
                                         std::uint64_t* fault_item, std::uint32_t* fault_site);

// A KPI formula (`kpi line_oee(f: Filler) over shift = oee(f);`): function `function`
// of the module, whose parameters are the ISO 22400 elements it reads, named in
// `inputs` in parameter order (`APT(f)`, `PBT(f)`, ...), each summed by the runtime over
// `window` for the equipment the KPI is computed for. KPIs it calls are inlined. The
// result is in coherent base units (a ratio, pcs/s), `unit` tells how to show it.
struct Kpi {
  std::string name;
  std::uint32_t function = 0;
  std::string window;  // `shift`, `day`, `last 24 h`
  std::vector<std::string> inputs;
  std::string unit;
};

// A top-level collect rule (`collect Mixer.temperature every 1 s deadband 0.1 delta degC
// valid -20 degC .. 200 degC;`) for one instance of the plant: what the edge samples, how
// often, when a new value is recorded, and which values are valid. Quantities are in
// coherent base units, as everywhere in a module; `format` converts from the unit the
// signal is declared in (base = shown * scale + offset).
struct Collect {
  std::string instance;  // `kettle2`
  std::string signal;    // `temperature`
  std::string address;   // the plant model's source of it; empty when it names none
  Type type = Type::kReal;
  ValueFormat format;     // as the class declares the signal (`degC`, an enum's members)
  double period_s = 1;    // > 0
  double deadband = 0;    // a difference, >= 0: record when the value moved by more
  std::string valid;      // the `valid_...` function (value: real in base units) -> bool,
                          // or empty when the rule has no valid range
  double valid_lo = 0, valid_hi = 0;  // its bounds (base units), when `valid` is set
  diag::Span span;
};

struct Module {
  std::string name;  // e.g. "templates.mix_batch@houston"
  std::vector<Function> functions;
  std::vector<Machine> machines;  // procedures; their expressions are functions above
  std::vector<Kpi> kpis;
  std::vector<Collect> collects;  // top-level collect rules, per instance
  const Function* find(const std::string& name) const;
};

// Checks the invariants above (operand order, types of operands, argument counts);
// returns the first violation as text, or empty. For tests and assertions.
std::string verify(const Module& module);

// A readable listing, one node per line: `gemba compile --emit listing`.
std::string listing(const Module& module);

}  // namespace gemba::lower
