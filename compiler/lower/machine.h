// The lowered form of a procedure: a state machine over a flat frame (README.md,
// "Procedures"). The durable runtime stores the frame and feeds events; a transition runs
// straight-line blocks from the waiting state until the next suspension point (ask, await,
// command, sign, wait, held, finished) and hands back the effects it emitted. The
// reference interpreter (compiler/interp/machine_interpreter.h) and the generated code
// (compiler/jit/codegen_machine.cpp) follow the same rules.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/diag/source.h"

namespace gemba::lower {

enum class Type : std::uint8_t;
union Scalar;
struct Module;

// Fixed frame slots; the procedure's own slots follow.
inline constexpr std::uint32_t kStateSlot = 0;      // int: the wait the machine is in
inline constexpr std::uint32_t kReturnSlot = 1;     // int: block to resume after a reaction
inline constexpr std::uint32_t kHoldReturnSlot = 2;  // int: block to resume after a restart
inline constexpr std::uint32_t kFixedSlots = 3;

inline constexpr std::uint32_t kNoBlock = UINT32_MAX;
inline constexpr std::uint32_t kMaxEffectValues = 8;
// Blocks one transition may run before it faults with kStepLimit (loops without a
// suspension point are bounded by sema, but nested loops multiply).
inline constexpr std::uint32_t kMaxBlocksPerTransition = 1u << 20;

// What happened to an instance, as the runtime reports it to the machine.
enum class EventKind : std::uint32_t {
  kStart = 0,  // the instance starts; parameters are already in their slots
  kDone,       // the awaited thing completed: an ask's answer (value), a command, a
               // signature, a timer
  kTimeout,    // the wait's `within` elapsed
  kSignal,     // bound signals changed (the new values are in `signals`)
  kHold,       // an operator or the runtime asks to hold
  kRestart,    // restart a held procedure
  kAbort,      // abort
  kLimit,      // limit reaction `value.i` fires (a procedure limit was violated)
};
inline constexpr std::size_t kEventKinds = 8;
const char* spelling(EventKind kind);  // "start", "done", ...

// The event record both executors take: `value` is meaningful for kDone (an ask's
// answer) and kLimit (the reaction's index); `time` is when the runtime accepted the
// event, in seconds since 1970-01-01 UTC: what `now()` reads, so that a replayed journal
// computes the same frame.
struct Event {
  EventKind kind;
  std::uint32_t reserved = 0;
  std::uint64_t value_bits = 0;  // a Scalar's bits
  double time = 0;
};
static_assert(sizeof(Event) == 24);

// One emitted effect: which point emitted it and the values of that point.
struct Effect {
  std::uint32_t point;
  std::uint32_t count;
  std::uint64_t values[kMaxEffectValues];  // Scalars' bits, `count` of them
};
static_assert(sizeof(Effect) == 8 + 8 * kMaxEffectValues);

// Where an expression's argument comes from.
struct Operand {
  enum class From : std::uint8_t { kSlot, kSignal, kNow };  // kNow: the event's time
  From from = From::kSlot;
  std::uint32_t index = 0;
};

// A call of the module's function `function` with `operands` as its arguments.
struct Expression {
  std::uint32_t function = 0;
  std::vector<Operand> operands;
};

// How a value is shown to people and read back from them (runtime/console/value_text.h).
// A value in the frame is in base units; a person sees and types `shown`, where
// base = shown * scale + offset (degC: scale 1, offset 273.15; cP: scale 0.001).
struct ValueFormat {
  enum class Kind : std::uint8_t { kBool, kInt, kReal, kEnum, kMaterial, kLot, kTime };
  // An exact rational num/den, den > 0; den == 0 when the exact value does not fit in
  // int64 (then only the double is known).
  struct Fraction {
    std::int64_t num = 0, den = 1;
  };
  // A unit a value may also be typed in: another named unit of the same dimension.
  struct Unit {
    std::string name;              // "min"
    double scale = 1, offset = 0;  // base value = typed * scale + offset
    Fraction exact_scale{1, 1}, exact_offset{0, 1};
  };
  Kind kind = Kind::kReal;
  // kReal: the unit values are shown and typed in ("degC", "cP"); empty: a plain number.
  std::string unit;
  double scale = 1, offset = 0;  // base value = shown * scale + offset
  // The same, exactly: a typed `1200 cP` or `212 degF` computed with these (then rounded
  // once, as the compiler rounds literals) is the very double the literal is in a script.
  Fraction exact_scale{1, 1}, exact_offset{0, 1};
  std::vector<std::string> choices;  // kEnum: member names by ordinal
  // For messages: the enum's name, the dimension ("mass", "viscosity", "mass flow"),
  // "number" for a dimensionless real, else "bool", "int", "Material", "Lot", "time".
  std::string type_name;
  // kReal with a dimension: the program's other named units of it that answers may be
  // typed in (`30 min` for a duration shown in s), declaration order; a reading
  // (degC) lists readings (K, degF), a difference lists linear units only.
  std::vector<Unit> other_units;
};

// "bool", "int", "real", "cP", "degC", "Appearance{Conforming,ColourOff}", "Material",
// "Lot", "time": a short spelling for listings.
std::string spelling(const ValueFormat& format);

struct Slot {
  std::string name;  // `lot`, `hold_time`, `$state`, `$loop3`
  Type type;
  std::string kind;  // what a person would call it: "kg", "Lot", "Material", "int"
  // How the value is shown and typed (`--arg hold_time=30 min`).
  ValueFormat format{};
};

struct SignalInput {
  std::string name;    // as written: `mixer.temperature`
  std::string source;  // the bound instance's signal: `kettle_1.temperature`
  Type type;
  // As the class declares it: `85 degC` for a `degC` signal.
  ValueFormat format{};
};

// Something the machine tells the outside world. Every emitted Effect names one.
enum class PointKind : std::uint8_t {
  kNotify,    // role, text
  kEscalate,  // role (may be empty), text
  kCommand,   // suspension (until done): target = `instance.command`; values = arguments
  kStart,     // target = procedure; bindings = equipment arguments; values = the others
  kConsume,   // values = lot handle, amount
  kProduce,   // values = material handle, amount
  kAsk,       // suspension: role, text, answer kind; values = text values, [of], [lo, hi],
              // [timeout]
  kAwait,     // suspension: values = [timeout]; the condition is re-checked on signals
  kSign,      // suspension: role, text = meaning
  kWait,      // suspension: values = duration (s)
  kHold,      // text = reason; the machine then runs `on hold` and rests in `held`
  kAbort,     // text = reason
  kStep,      // a step begins: text = its name
  kComplete,  // the procedure completed
  kAborted,   // the procedure finished aborted
};
const char* spelling(PointKind kind);

struct Point {
  PointKind kind;
  std::string role;
  std::string text;  // `{0}`, `{1}` ... mark where values go, in order
  std::string target;
  std::vector<std::string> bindings;  // kStart: `mixer=kettle_1`
  std::vector<std::string> value_names;  // one per value
  std::vector<std::string> value_kinds;  // one per value: "kg", "Material", ...
  std::string answer_kind;               // kAsk: "bool", "cP", "Lot"
  bool has_range = false;                // kAsk: values end with lo, hi (before timeout)
  bool has_timeout = false;              // values end with the timeout (s)
  // One per value, parallel to value_kinds: how each is shown (`{k}` in the text).
  std::vector<ValueFormat> value_formats;
  // kAsk: how the answer is shown and typed; its range values have the same format.
  ValueFormat answer;
  diag::Span span;
};

enum class ActionKind : std::uint8_t {
  kSet,       // slot = value
  kSetEvent,  // slot = the event's value
  kSetBlock,  // slot = block (an int): where kJumpSlot returns to
  kEmit,      // effect (point, values)
};

struct Action {
  ActionKind kind = ActionKind::kSet;
  std::uint32_t slot = 0;
  std::uint32_t block = 0;  // kSetBlock
  std::uint32_t point = 0;  // kEmit
  Expression value;               // kSet
  std::vector<Expression> values;  // kEmit
};

enum class EndKind : std::uint8_t {
  kJump,       // to `next`
  kBranch,     // `condition` ? next : other
  kJumpSlot,   // to the block in `slot`
  kJumpEvent,  // to `targets[event value]`; out of range: kEventNotExpected
  kSuspend,    // the machine waits in `wait`; the transition ends
};

struct Block {
  std::vector<Action> actions;
  EndKind end = EndKind::kSuspend;
  Expression condition;
  std::uint32_t next = 0, other = 0;
  std::uint32_t slot = 0;
  std::vector<std::uint32_t> targets;
  std::uint32_t wait = 0;
  std::string label;  // for listings: `Charge: ask`
};

// A state: where the machine rests between transitions, and the block each event starts.
struct Wait {
  std::string label;
  std::uint32_t point = 0;  // kNoBlock for states without one (not started, finished)
  std::uint32_t on[kEventKinds];  // by EventKind: a block, or kNoBlock (not expected here)
  bool final = false;             // complete or aborted
};

struct Machine {
  std::string name;  // `MixBatch`; its transition is exported as `<name>.transition`
  std::vector<Slot> slots;           // the frame, kFixedSlots first
  std::vector<std::uint32_t> params;  // slots the runtime fills before kStart, in order
  std::vector<SignalInput> signals;  // the `signals` array, in this order
  std::vector<Point> points;
  std::vector<Block> blocks;
  std::vector<Wait> waits;  // waits[0]: not started
  std::vector<std::string> limits;  // reactions, by kLimit index: `mixer.temperature`
  diag::Span span;
};

// The transition ABI both executors share (`<machine>.transition`):
//   int32_t t(Scalar* frame, const Scalar* signals, const Event* event,
//             Effect* effects, uint32_t capacity, uint32_t* effect_count,
//             uint32_t fault_site[2]);
// Runs the block the current wait names for the event, and those it leads to, until a
// suspension; returns a Fault (lowered.h; 0 = none). On kNone the frame holds the new
// state and `effects[0 .. *effect_count)` what was emitted, in order. On a fault, the
// frame and the effects are unspecified (the runtime keeps the frame it stored) and
// `fault_site` (when not null) gets {function, node} of the faulting expression node, or
// {UINT32_MAX, block} for a fault of the machine itself in a block (kTooManyEffects,
// kStepLimit, a bad kJumpSlot or kJumpEvent), or {UINT32_MAX, UINT32_MAX} when the event
// is refused before any block runs (kEventNotExpected, kBadState).
// kSetEvent copies the event's 64 bits as they are; a bool answer must be 0 or 1.
// Unused `values` of an effect are zero.
using TransitionEntry = std::int32_t (*)(Scalar* frame, const Scalar* signals, const Event* event,
                                         Effect* effects, std::uint32_t capacity,
                                         std::uint32_t* effect_count, std::uint32_t* fault_site);

// A new instance's frame: every slot zero (state: not started), `args` in the parameter
// slots, in order. `args` must hold one scalar per parameter.
std::vector<Scalar> initial_frame(const Machine& machine, const std::vector<Scalar>& args);

// The script location of a fault reported at {function, node} (a transition's
// `fault_site`, or a function's: node of `function`); nullopt for a fault of the machine
// itself (function UINT32_MAX) or indexes out of range.
std::optional<diag::Span> fault_span(const Module& module, std::uint32_t function,
                                     std::uint32_t node);

// Checks a machine against its module: indexes in range, operands matching the called
// functions' parameters in number and type, branch conditions bool, every wait's blocks
// present; the first problem as text, or empty.
std::string verify(const Machine& machine, const Module& module);

// A readable listing: slots, signals, points, waits and blocks.
std::string listing(const Machine& machine, const Module& module);

}  // namespace gemba::lower
