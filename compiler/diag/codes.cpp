#include "compiler/diag/codes.h"

#include <array>
#include <cassert>

namespace gemba::diag {
namespace {

constexpr Severity E = Severity::kError;
constexpr Severity W = Severity::kWarning;

constexpr std::array kCodes = {
    CodeInfo{Code::kSyntaxError, "G0001", E, "syntax-error",
             "The text does not follow Gemba's grammar."},
    CodeInfo{Code::kUnexpectedCharacter, "G0002", E, "unexpected-character",
             "A character that cannot start any token."},
    CodeInfo{Code::kUnterminatedString, "G0003", E, "unterminated-string",
             "A string literal is not closed before the end of its line."},
    CodeInfo{Code::kUnterminatedComment, "G0004", E, "unterminated-comment",
             "A block comment is not closed before the end of the file."},
    CodeInfo{Code::kBadInterpolation, "G0005", E, "bad-interpolation",
             "A `{...}` in a string does not hold a name."},
    CodeInfo{Code::kBadNumber, "G0006", E, "bad-number",
             "A number literal is out of range or cannot be represented exactly."},
    CodeInfo{Code::kBadClockTime, "G0007", E, "bad-clock-time",
             "A clock time is not written as hh:mm between 00:00 and 24:00."},
    CodeInfo{Code::kUnknownModule, "G0101", E, "unknown-module",
             "An import names a module that no file or the standard library declares."},
    CodeInfo{Code::kDuplicateImport, "G0102", W, "duplicate-import",
             "The same module is imported twice."},
    CodeInfo{Code::kImportCycle, "G0103", E, "import-cycle",
             "Modules import each other in a cycle."},
    CodeInfo{Code::kDuplicateModule, "G0104", E, "duplicate-module",
             "Two files declare the same module name."},
    CodeInfo{Code::kUnusedImport, "G0105", W, "unused-import",
             "Nothing from an imported module is used."},
    CodeInfo{Code::kModuleNameMismatch, "G0106", E, "module-name-mismatch",
             "The file an import found declares a different module name."},
    CodeInfo{Code::kUndefinedName, "G0201", E, "undefined-name",
             "A name is used that is not declared in scope."},
    CodeInfo{Code::kDuplicateDefinition, "G0202", E, "duplicate-definition",
             "A name is declared twice in the same scope."},
    CodeInfo{Code::kNotAUnit, "G0203", E, "not-a-unit",
             "A name used as a unit of measure is not a unit."},
    CodeInfo{Code::kNotAType, "G0204", E, "not-a-type", "A name used as a type is not a type."},
    CodeInfo{Code::kUnknownMember, "G0205", E, "unknown-member",
             "An equipment class or enumeration has no member of that name."},
    CodeInfo{Code::kNotAnEquipmentClass, "G0206", E, "not-an-equipment-class",
             "A name used as an equipment class is not one."},
    CodeInfo{Code::kAmbiguousName, "G0207", E, "ambiguous-name",
             "A name is declared by two imported modules."},
    CodeInfo{Code::kNotADimension, "G0208", E, "not-a-dimension",
             "A name used as a dimension is not a dimension."},
    CodeInfo{Code::kInheritanceCycle, "G0209", E, "inheritance-cycle",
             "Equipment classes extend each other in a cycle."},
    CodeInfo{Code::kUnknownRole, "G0210", E, "unknown-role",
             "A role named in ask, sign, notify or escalate is not declared."},
    CodeInfo{Code::kTypeMismatch, "G0301", E, "type-mismatch",
             "A value has a different type from the one required."},
    CodeInfo{Code::kConditionNotBool, "G0302", E, "condition-not-bool",
             "A condition is not a bool."},
    CodeInfo{Code::kArgumentCount, "G0303", E, "argument-count",
             "A call passes the wrong number of arguments."},
    CodeInfo{Code::kUnknownArgument, "G0304", E, "unknown-argument",
             "A named argument matches no parameter, or a parameter is given twice."},
    CodeInfo{Code::kNotCallable, "G0305", E, "not-callable",
             "Something that is not a function is called."},
    CodeInfo{Code::kBadOperand, "G0306", E, "bad-operand",
             "An operator is applied to values of types it does not accept."},
    CodeInfo{Code::kAssignToImmutable, "G0307", E, "assign-to-immutable",
             "An assignment targets something other than a `var`."},
    CodeInfo{Code::kRecursion, "G0308", E, "recursion",
             "A function or KPI calls itself, directly or through others."},
    CodeInfo{Code::kDimensionMismatch, "G0401", E, "dimension-mismatch",
             "Quantities of different dimensions are added, compared or converted."},
    CodeInfo{Code::kAddAbsolutes, "G0402", E, "add-absolutes",
             "Two absolute readings (temperatures on an offset scale, times) are added."},
    CodeInfo{Code::kScaleAbsolute, "G0403", E, "scale-absolute",
             "An absolute reading is multiplied, divided or negated."},
    CodeInfo{Code::kAbsoluteVsDifference, "G0404", E, "absolute-vs-difference",
             "An absolute reading is used where a difference is required, or the reverse."},
    CodeInfo{Code::kInexactUnit, "G0405", E, "inexact-unit",
             "A unit's scale or offset cannot be represented exactly."},
    CodeInfo{Code::kAffineInCompound, "G0406", E, "affine-in-compound",
             "A unit with an offset (degC, degF) is used inside a compound unit."},
    CodeInfo{Code::kBadUnitDefinition, "G0407", E, "bad-unit-definition",
             "A unit or dimension definition is malformed."},
    CodeInfo{Code::kTooManyDimensions, "G0408", E, "too-many-dimensions",
             "More base dimensions are declared than the compiler supports."},
    CodeInfo{Code::kMissingTimeout, "G0501", E, "missing-timeout",
             "An ask or await has no `within` timeout, so it could wait forever."},
    CodeInfo{Code::kSuspensionNotAllowed, "G0502", E, "suspension-not-allowed",
             "A suspension point (ask, await, command, sign, wait, consume, produce) is "
             "used where a procedure cannot pause."},
    CodeInfo{Code::kEmptyRange, "G0503", E, "empty-range",
             "A range's lower bound is above its upper bound."},
    CodeInfo{Code::kDuplicateStep, "G0504", E, "duplicate-step",
             "Two steps of a procedure have the same name."},
    CodeInfo{Code::kNotACommand, "G0505", E, "not-a-command",
             "`command` is applied to something that is not an equipment command."},
    CodeInfo{Code::kDuplicateHandler, "G0506", E, "duplicate-handler",
             "A procedure has two handlers for the same event."},
    CodeInfo{Code::kBadLoopBound, "G0507", E, "bad-loop-bound",
             "A loop bound is not an integer or exceeds the allowed maximum."},
    CodeInfo{Code::kAskNotStandalone, "G0508", E, "ask-not-standalone",
             "An ask is used inside a larger expression instead of as a whole statement or "
             "`let` initializer."},
    CodeInfo{Code::kNotADuration, "G0509", E, "not-a-duration",
             "A timeout, wait, period or window is not a duration."},
    CodeInfo{Code::kNotMaterial, "G0510", E, "not-material",
             "consume needs a lot and an amount; produce needs a material and an amount."},
    CodeInfo{Code::kBadBody, "G0511", E, "bad-body",
             "A builtin function has a body, or a function has none."},
    CodeInfo{Code::kNotASignal, "G0601", E, "not-a-signal",
             "A collect rule or limit names something that is not an equipment signal."},
    CodeInfo{Code::kBadPeriod, "G0602", E, "bad-period",
             "A collection period is not a positive duration."},
    CodeInfo{Code::kBadDeadband, "G0603", E, "bad-deadband",
             "A deadband is negative or not a difference in the signal's dimension."},
    CodeInfo{Code::kUnknownWindow, "G0604", E, "unknown-window",
             "A KPI window is not one of shift, day, week, month, order, batch or `last D`."},
    CodeInfo{Code::kBadSubject, "G0605", E, "bad-subject",
             "A limit or collect rule outside a procedure must name Class.signal."},
    CodeInfo{Code::kUnknownTimeZone, "G0701", E, "unknown-time-zone",
             "A plant names a time zone that the IANA time zone database does not know."},
    CodeInfo{Code::kShiftOverlap, "G0702", E, "shift-overlap",
             "Two shifts of a plant overlap, or a shift has no length."},
    CodeInfo{Code::kPlantUnitConflict, "G0703", E, "plant-unit-conflict",
             "A plant lists two working units of one dimension, or one that is not a unit."},
    CodeInfo{Code::kMissingProperty, "G0704", E, "missing-property",
             "A piece of equipment leaves a property of its class without a value."},
    CodeInfo{Code::kWrongMemberKind, "G0705", E, "wrong-member-kind",
             "A value is given to a signal or command, or a source to a property."},
    CodeInfo{Code::kBadSourceAddress, "G0706", E, "bad-source-address",
             "A signal's source address is not a URI of a supported scheme."},
    CodeInfo{Code::kHierarchyViolation, "G0707", E, "hierarchy-violation",
             "Equipment is placed inside equipment of the same or a lower ISA-95 level."},
    CodeInfo{Code::kNotConstant, "G0708", E, "not-constant",
             "A plant model or template parameter value is not a constant."},
    CodeInfo{Code::kBadBinding, "G0709", E, "bad-binding",
             "A plant's `bind` names no procedure, `uses` binding or equipment of the plant."},
    CodeInfo{Code::kMissingTimeZone, "G0710", E, "missing-time-zone",
             "A plant declares no time zone."},
    CodeInfo{Code::kDefaultOutOfRange, "G0711", E, "default-out-of-range",
             "A template parameter's default lies outside the range it allows plants."},
    CodeInfo{Code::kNoEquipment, "G0801", E, "no-equipment",
             "No equipment of the plant satisfies a procedure's `uses` binding."},
    CodeInfo{Code::kAmbiguousEquipment, "G0802", E, "ambiguous-equipment",
             "Several pieces of equipment satisfy a `uses` binding and the plant binds none."},
    CodeInfo{Code::kBindingRejected, "G0803", E, "binding-rejected",
             "The equipment a plant binds does not satisfy the `uses` binding."},
    CodeInfo{Code::kMissingParameter, "G0804", E, "missing-parameter",
             "A template parameter without a default is not set by the plant."},
    CodeInfo{Code::kParameterOutOfRange, "G0805", E, "parameter-out-of-range",
             "A plant sets a template parameter outside the range the template allows."},
    CodeInfo{Code::kParameterFixed, "G0806", E, "parameter-fixed",
             "A plant sets a template parameter that the template does not let plants set."},
    CodeInfo{Code::kParameterType, "G0807", E, "parameter-type",
             "A plant sets a template parameter to a value of another type or dimension."},
    CodeInfo{Code::kUnboundSignal, "G0808", E, "unbound-signal",
             "A template reads a signal that has no source address at the plant."},
    CodeInfo{Code::kEmptyRangeAtPlant, "G0809", E, "empty-range-at-plant",
             "With the plant's values, a range of the template is empty or inverted."},
    CodeInfo{Code::kNoShifts, "G0810", E, "no-shifts",
             "A KPI over `shift` is specialized for a plant without a shift calendar."},
    CodeInfo{Code::kUnusedBinding, "G0901", W, "unused-binding",
             "A let, var, parameter or equipment binding is never used."},
    CodeInfo{Code::kUnreachable, "G0902", W, "unreachable", "A step or statement can never run."},
    CodeInfo{Code::kShadowing, "G0903", W, "shadowing",
             "A local binding hides another binding of the same name."},
    CodeInfo{Code::kConstantCondition, "G0904", W, "constant-condition",
             "A condition is always true or always false."},
    CodeInfo{Code::kRuleMatchesNothing, "G0905", W, "rule-matches-nothing",
             "A top-level limit or collect rule applies to no equipment of the plant."},
};

}  // namespace

const CodeInfo& info(Code code) {
  const auto& entry = kCodes[static_cast<std::size_t>(code)];
  assert(entry.code == code && "kCodes must follow the order of enum Code");
  return entry;
}

std::span<const CodeInfo> all_codes() { return kCodes; }

std::string_view severity_name(Severity severity) {
  switch (severity) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kNote:
      return "note";
  }
  return "error";
}

}  // namespace gemba::diag
