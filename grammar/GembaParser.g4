// Gemba's syntax: the one source of it. grammar/REFERENCE.md explains every construct
// with an example. The front end (compiler/syntax/) turns this parse tree into the AST
// of compiler/ast/ast.h; keep the labels below in step with it.
parser grammar GembaParser;

options { tokenVocab = GembaLexer; }

file: moduleDecl? importDecl* declaration* EOF;

moduleDecl: MODULE qualifiedName SEMI;
importDecl: IMPORT qualifiedName SEMI;
// A module name. After the first, a segment may be a keyword: `import std.kpi;`;
// `plant` may start one: `module plant.mixing;`.
qualifiedName: (ID | PLANT) (DOT memberName)*;

declaration
    : dimensionDecl
    | unitDecl
    | enumDecl
    | roleDecl
    | equipmentClassDecl
    | functionDecl
    | procedureDecl
    | limitDecl
    | collectDecl
    | kpiDecl
    | paramDecl
    | plantDecl
    ;

// ---- Dimensions and units -------------------------------------------------------

// `dimension mass;` declares a base dimension; `dimension force = mass * length / duration^2;`
// names a derived one.
dimensionDecl: DIMENSION ID (ASSIGN unitExpr)? SEMI;

// `unit kg: mass;` a base unit. `unit g = 0.001 kg;` `unit degF = 5/9 K offset 459.67;`
unitDecl
    : UNIT unitName COLON ID SEMI                                   # baseUnitDecl
    | UNIT unitName ASSIGN unitDefExpr (OFFSET signedNumber)? SEMI  # derivedUnitDecl
    ;

// In a unit definition, juxtaposition multiplies, left to right: `5/9 K` is (5/9)*K.
unitDefExpr: unitDefFactor (op=(STAR | SLASH)? unitDefFactor)*;
unitDefFactor
    : number                                # unitDefNumber
    | DELTA unitName                        # unitDefDelta
    | unitName (CARET signedInt)?           # unitDefName
    | LPAREN unitDefExpr RPAREN             # unitDefParen
    ;

// A unit, dimension or type: `kg`, `m/s^2`, `delta degC`, `1/min`, `mass`, `int`, `Mixer`.
unitExpr: unitFactor (op=(STAR | SLASH) unitFactor)*;
unitFactor
    : INT                                   # unitOne
    | DELTA unitName                        # unitDelta
    | unitName (CARET signedInt)?           # unitPower
    | LPAREN unitExpr RPAREN                # unitParen
    ;
typeRef: unitExpr;

// The unit after a number in a quantity literal: `5 kg`, `9.81 m/s^2`, `0.1 delta degC`,
// `2 kg/(m*s)`. It is greedy: `10 kg / n` reads `kg/n` as the unit; write `(10 kg) / n`
// to divide. One `/` at most: a longer chain would make every `/` of an expression an
// ambiguity that the parser resolves by looking ahead to its end (quadratic time).
unitSuffix: unitAtom (SLASH (unitAtom | LPAREN unitExpr RPAREN))?;
unitAtom: DELTA? unitName (CARET signedInt)?;

// `in` is the inch as well as the range keyword.
unitName: ID | IN;

number: INT | DECIMAL;
signedNumber: MINUS? number;
signedInt: MINUS? INT;

// ---- Types of the plant ---------------------------------------------------------

enumDecl: ENUM ID LBRACE memberName (COMMA memberName)* COMMA? RBRACE;

// `role supervisor "Shift supervisor";`
roleDecl: ROLE ID STRING? SEMI;

// `equipment class Mixer : WorkUnit { property capacity: kg; signal temperature: degC;
//  command start(speed: rpm); }`
equipmentClassDecl: EQUIPMENT CLASS ID (COLON ID)? LBRACE classMember* RBRACE;
classMember
    : PROPERTY memberName COLON typeRef SEMI                     # propertyMember
    | SIGNAL memberName COLON typeRef SEMI                       # signalMember
    | COMMAND memberName LPAREN commandParamList? RPAREN SEMI    # commandMember
    ;
// `command heat(setpoint: degC in 20 degC .. max_temperature);`: the range is what the
// equipment accepts; its bounds may name the class's properties. Specialization checks
// every constant argument against the bound equipment's values.
commandParamList: commandParam (COMMA commandParam)* COMMA?;
commandParam: ID COLON typeRef (IN lo=expr RANGE hi=expr)?;

// `function margin(x: kg, y: kg): kg = x - y;`  `builtin function now(): time;`
functionDecl: BUILTIN? FUNCTION ID LPAREN paramList? RPAREN COLON typeRef (ASSIGN expr)? SEMI;

paramList: param (COMMA param)* COMMA?;
param: ID COLON typeRef;

// ---- Procedures -----------------------------------------------------------------

procedureDecl: PROCEDURE ID LPAREN paramList? RPAREN usesClause? LBRACE procedureItem* RBRACE;
usesClause: USES useBinding (COMMA useBinding)*;
useBinding: ID COLON ID (WHERE expr)?;

procedureItem
    : limitDecl
    | collectDecl
    | stepDecl
    | handlerDecl
    ;

stepDecl: STEP STRING block;
// ISA-88 exception handling: `on hold { ... }`, `on abort { ... }`, `on cleanup { ... }`.
handlerDecl: ON kind=(HOLD | ABORT | CLEANUP) block;

// `limit mixer.temperature in 60 degC .. 70 degC on violation { notify role supervisor; }`
limitDecl: LIMIT path IN lo=expr RANGE hi=expr (ON VIOLATION block | SEMI);

// `collect mixer.temperature every 1 s deadband 0.1 delta degC valid -20 degC .. 200 degC;`
collectDecl: COLLECT path EVERY period=expr (DEADBAND deadband=expr)? (VALID lo=expr RANGE hi=expr)? SEMI;

// `kpi availability(u: WorkUnit) over shift = APT(u) / PBT(u);`
kpiDecl: KPI ID LPAREN paramList? RPAREN (COLON typeRef)? window? ASSIGN expr SEMI;
window
    : OVER ID            # namedWindow
    | OVER LAST expr     # rollingWindow
    ;

// A template parameter: a constant that each plant may set. `in lo .. hi` bounds what a
// plant may choose; without a default every plant must set it; with a default and no
// range it is fixed. `param batch_size: kg in 100 kg .. 1000 kg = 400 kg;`
paramDecl: PARAM ID COLON typeRef (IN lo=expr RANGE hi=expr)? (ASSIGN value=expr)? SEMI;

// ---- Plant models ---------------------------------------------------------------

// `plant houston "Houston, TX" { timezone "America/Chicago"; units lb, degF; ... }`
plantDecl: PLANT ID STRING? LBRACE plantItem* RBRACE;
plantItem
    : TIMEZONE STRING SEMI                                  # timezoneItem
    | UNITS unitExpr (COMMA unitExpr)* SEMI                 # unitsItem
    | PARAM ID ASSIGN expr SEMI                             # plantParamItem
    | BIND ID DOT memberName ASSIGN path SEMI               # bindItem
    | SHIFTS LBRACE shiftDef* RBRACE                        # shiftsItem
    | instanceDecl                                          # instanceItem
    ;
// `A 06:00 .. 14:00;` local clock times; a shift may cross midnight.
shiftDef: ID clock RANGE clock SEMI;
clock: INT COLON INT;
// `Mixer mixer1 "Mixer 1" { capacity = 500 kg; temperature <- "mqtt://..."; }`
instanceDecl: ID ID STRING? LBRACE instanceMember* RBRACE;
instanceMember
    : memberName ASSIGN expr SEMI                           # propertyValue
    | memberName LT MINUS STRING SEMI                       # signalSource
    | instanceDecl                                          # childInstance
    ;

// ---- Statements -----------------------------------------------------------------

block: LBRACE statement* RBRACE;

statement
    : LET ID (COLON typeRef)? ASSIGN expr SEMI                    # letStmt
    | VAR ID (COLON typeRef)? ASSIGN expr SEMI                    # varStmt
    | ID ASSIGN expr SEMI                                         # assignStmt
    | ifStatement                                                 # ifStmt
    | REPEAT expr TIMES block                                     # repeatStmt
    | FOR ID IN lo=expr RANGE hi=expr block                       # forStmt
    | askExpr SEMI                                                # askStmt
    | AWAIT expr (blockTimeout | timeout SEMI)                    # awaitStmt
    | COMMAND expr SEMI                                           # commandStmt
    | SIGN STRING? BY ROLE ID SEMI                                # signStmt
    | WAIT expr SEMI                                              # waitStmt
    | CONSUME lot=expr COMMA amount=expr SEMI                     # consumeStmt
    | PRODUCE material=expr COMMA amount=expr SEMI                # produceStmt
    | NOTIFY ROLE ID STRING? SEMI                                 # notifyStmt
    | START ID LPAREN argList? RPAREN SEMI                        # startStmt
    | reaction SEMI                                               # reactionStmt
    ;

ifStatement: IF expr block (ELSE (block | ifStatement))?;

// What happens when a timeout expires or a limit is violated.
reaction
    : ESCALATE STRING (TO ROLE ID)?        # escalateReaction
    | HOLD STRING?                         # holdReaction
    | ABORT STRING?                        # abortReaction
    ;

// `within 30 min otherwise escalate "heating too slow"`. Both parts are optional in the
// syntax so that a missing timeout gets a precise diagnostic rather than a parse error.
timeout: (WITHIN expr)? (OTHERWISE reaction)?;
// `within 30 min otherwise { notify role supervisor; hold; }`: a statement that ends
// with this block needs no `;` after it.
blockTimeout: (WITHIN expr)? OTHERWISE block;

// `ask operator "Viscosity" as cP in 800 cP .. 1200 cP within 5 min`
// `ask role QA "Scan a lot of {product}" as Lot of product within 10 min`
askExpr: ASK (OPERATOR | ROLE ID) STRING AS typeRef (OF path)? (IN lo=expr RANGE hi=expr)? (blockTimeout | timeout);

// ---- Expressions ----------------------------------------------------------------

expr
    : primary                                              # primaryExpr
    | expr DOT memberName                                  # memberExpr
    | expr LPAREN argList? RPAREN                          # callExpr
    | MINUS expr                                           # negateExpr
    | expr op=(STAR | SLASH | PERCENT) expr                # mulExpr
    | expr op=(PLUS | MINUS) expr                          # addExpr
    | expr TO unitExpr                                     # convertExpr
    | expr op=(LT | LE | GT | GE | EQ | NE) expr           # compareExpr
    | expr IN lo=expr RANGE hi=expr                        # inRangeExpr
    | NOT expr                                             # notExpr
    | expr AND expr                                        # andExpr
    | expr OR expr                                         # orExpr
    ;

primary
    : number unitSuffix?                                   # quantityLiteral
    | STRING                                               # stringLiteral
    | (TRUE | FALSE)                                       # boolLiteral
    | ID                                                   # nameRef
    | LPAREN expr RPAREN                                   # parenExpr
    | askExpr                                              # askPrimary
    ;

argList: arg (COMMA arg)* COMMA?;
arg: (memberName COLON)? expr;

// A name reached through dots: `mixer.temperature`, `Mixer.temperature`.
path: ID (DOT memberName)*;

// Keywords that may still name a member, an enumerator or a named argument.
memberName
    : ID | START | HOLD | ABORT | WAIT | SIGN | CLEANUP | STEP | ROLE | OPERATOR | OFFSET
    | DELTA | VALID | DEADBAND | EVERY | OVER | LAST | TIMES | VIOLATION | NOTIFY | CONSUME
    | PRODUCE | COMMAND | SIGNAL | PROPERTY | UNIT | LIMIT | COLLECT | ESCALATE | TO | BY
    | OF | AS | IN | ON | KPI | PARAM | PLANT | TIMEZONE | UNITS | BIND | SHIFTS
    | EQUIPMENT | CLASS | PROCEDURE | FUNCTION | BUILTIN | DIMENSION | ENUM | USES | WHERE
    | MODULE | IMPORT
    ;
