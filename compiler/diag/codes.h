// The stable diagnostic codes of the front end. A code, once released, keeps its
// meaning forever: tools and CI configurations match on it. Add new codes at the end
// of their group; never renumber. grammar/DIAGNOSTICS.md documents each one.
#pragma once

#include <span>
#include <string_view>

namespace gemba::diag {

enum class Severity { kError, kWarning, kNote };

enum class Code {
  // Syntax: G00xx
  kSyntaxError,          // G0001
  kUnexpectedCharacter,  // G0002
  kUnterminatedString,   // G0003
  kUnterminatedComment,  // G0004
  kBadInterpolation,     // G0005
  kBadNumber,            // G0006
  kBadClockTime,         // G0007
  // Modules and imports: G01xx
  kUnknownModule,       // G0101
  kDuplicateImport,     // G0102
  kImportCycle,         // G0103
  kDuplicateModule,     // G0104
  kUnusedImport,        // G0105
  kModuleNameMismatch,  // G0106
  // Names: G02xx
  kUndefinedName,        // G0201
  kDuplicateDefinition,  // G0202
  kNotAUnit,             // G0203
  kNotAType,             // G0204
  kUnknownMember,        // G0205
  kNotAnEquipmentClass,  // G0206
  kAmbiguousName,        // G0207
  kNotADimension,        // G0208
  kInheritanceCycle,     // G0209
  kUnknownRole,          // G0210
  // Types: G03xx
  kTypeMismatch,       // G0301
  kConditionNotBool,   // G0302
  kArgumentCount,      // G0303
  kUnknownArgument,    // G0304
  kNotCallable,        // G0305
  kBadOperand,         // G0306
  kAssignToImmutable,  // G0307
  kRecursion,          // G0308
  // Units of measure: G04xx
  kDimensionMismatch,     // G0401
  kAddAbsolutes,          // G0402
  kScaleAbsolute,         // G0403
  kAbsoluteVsDifference,  // G0404
  kInexactUnit,           // G0405
  kAffineInCompound,      // G0406
  kBadUnitDefinition,     // G0407
  kTooManyDimensions,     // G0408
  // Procedures: G05xx
  kMissingTimeout,        // G0501
  kSuspensionNotAllowed,  // G0502
  kEmptyRange,            // G0503
  kDuplicateStep,         // G0504
  kNotACommand,           // G0505
  kDuplicateHandler,      // G0506
  kBadLoopBound,          // G0507
  kAskNotStandalone,      // G0508
  kNotADuration,          // G0509
  kNotMaterial,           // G0510
  kBadBody,               // G0511
  // Data collection, limits and KPIs: G06xx
  kNotASignal,     // G0601
  kBadPeriod,      // G0602
  kBadDeadband,    // G0603
  kUnknownWindow,  // G0604
  kBadSubject,     // G0605
  // Plant models and template parameters: G07xx
  kUnknownTimeZone,     // G0701
  kShiftOverlap,        // G0702
  kPlantUnitConflict,   // G0703
  kMissingProperty,     // G0704
  kWrongMemberKind,     // G0705
  kBadSourceAddress,    // G0706
  kHierarchyViolation,  // G0707
  kNotConstant,         // G0708
  kBadBinding,          // G0709
  kMissingTimeZone,     // G0710
  kDefaultOutOfRange,   // G0711
  // Specialization of a template for a plant: G08xx
  kNoEquipment,          // G0801
  kAmbiguousEquipment,   // G0802
  kBindingRejected,      // G0803
  kMissingParameter,     // G0804
  kParameterOutOfRange,  // G0805
  kParameterFixed,       // G0806
  kParameterType,        // G0807
  kUnboundSignal,        // G0808
  kEmptyRangeAtPlant,    // G0809
  kNoShifts,             // G0810
  kSetpointOutOfRange,   // G0811
  // Warnings: G09xx
  kUnusedBinding,        // G0901
  kUnreachable,          // G0902
  kShadowing,            // G0903
  kConstantCondition,    // G0904
  kRuleMatchesNothing,   // G0905
  kUnknownPlantSetting,  // G0906
  // Running compiled code: G10xx
  kRuntimeFault,  // G1001
};

struct CodeInfo {
  Code code;
  std::string_view id;       // "G0401"
  Severity severity;         // a code's severity never changes
  std::string_view name;     // "dimension-mismatch": a short, stable slug
  std::string_view summary;  // one sentence, used as the SARIF rule description
};

const CodeInfo& info(Code code);
std::string_view severity_name(Severity severity);  // "error", "warning", "note"
std::span<const CodeInfo> all_codes();

}  // namespace gemba::diag
