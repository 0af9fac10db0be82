// Gemba's lexer: the one source of Gemba's tokens. Compiled at build time by the
// antlr4 tool (see grammar/CMakeLists.txt); the generated code is never committed.
//
// Keywords are reserved, but most of them may still name a member (a signal, a
// property, a command, an enumerator) or a named argument: see `memberName` in
// GembaParser.g4. So `command start(speed: rpm);` declares a command named `start`.
lexer grammar GembaLexer;

// Declarations
MODULE: 'module';
IMPORT: 'import';
DIMENSION: 'dimension';
UNIT: 'unit';
OFFSET: 'offset';
DELTA: 'delta';
ENUM: 'enum';
ROLE: 'role';
EQUIPMENT: 'equipment';
CLASS: 'class';
PROPERTY: 'property';
SIGNAL: 'signal';
COMMAND: 'command';
BUILTIN: 'builtin';
FUNCTION: 'function';
PROCEDURE: 'procedure';
USES: 'uses';
WHERE: 'where';
STEP: 'step';
LIMIT: 'limit';
VIOLATION: 'violation';
COLLECT: 'collect';
EVERY: 'every';
DEADBAND: 'deadband';
VALID: 'valid';
KPI: 'kpi';
OVER: 'over';
LAST: 'last';
ON: 'on';
CLEANUP: 'cleanup';
PARAM: 'param';
PLANT: 'plant';
TIMEZONE: 'timezone';
UNITS: 'units';
BIND: 'bind';
SHIFTS: 'shifts';

// Statements
LET: 'let';
VAR: 'var';
IF: 'if';
ELSE: 'else';
REPEAT: 'repeat';
TIMES: 'times';
FOR: 'for';
IN: 'in';
ASK: 'ask';
OPERATOR: 'operator';
AS: 'as';
OF: 'of';
AWAIT: 'await';
WITHIN: 'within';
OTHERWISE: 'otherwise';
ESCALATE: 'escalate';
TO: 'to';
SIGN: 'sign';
BY: 'by';
WAIT: 'wait';
CONSUME: 'consume';
PRODUCE: 'produce';
NOTIFY: 'notify';
START: 'start';
HOLD: 'hold';
ABORT: 'abort';

// Expressions
AND: 'and';
OR: 'or';
NOT: 'not';
TRUE: 'true';
FALSE: 'false';

// Punctuation and operators
RANGE: '..';
DOT: '.';
COMMA: ',';
SEMI: ';';
COLON: ':';
LPAREN: '(';
RPAREN: ')';
LBRACE: '{';
RBRACE: '}';
LE: '<=';
GE: '>=';
EQ: '==';
NE: '!=';
LT: '<';
GT: '>';
ASSIGN: '=';
PLUS: '+';
MINUS: '-';
STAR: '*';
SLASH: '/';
PERCENT: '%';
CARET: '^';

// Literals. `1..5` lexes as INT RANGE INT: a DECIMAL needs a digit after its point.
DECIMAL: DIGITS '.' DIGITS EXPONENT? | DIGITS EXPONENT;
INT: DIGITS;
fragment DIGITS: [0-9] ('_'? [0-9])*;
fragment EXPONENT: [eE] [+-]? [0-9]+;

ID: [a-zA-Z_] [a-zA-Z_0-9]*;

// A string ends on the same line. `{name}` inside a string interpolates a name;
// `{{` and `}}` stand for literal braces.
STRING: '"' (ESCAPE | ~["\\\r\n])* '"';
// A string that reaches the end of its line without a closing quote. The parser
// never sees this token: the front end reports it and hands the parser a STRING.
UNTERMINATED_STRING: '"' (ESCAPE | ~["\\\r\n])*;
fragment ESCAPE: '\\' .;

LINE_COMMENT: '//' ~[\r\n]* -> channel(HIDDEN);
BLOCK_COMMENT: '/*' .*? '*/' -> channel(HIDDEN);
// A block comment with no `*/` (it cannot contain one, so a closed comment is always
// the longer match). Reported by the front end, then dropped.
UNTERMINATED_COMMENT: '/*' (~'*' | '*'+ ~[*/])* '*'*;
WS: [ \t\r\n\f]+ -> channel(HIDDEN);

// Any other character. The front end reports it and drops it.
ERROR_CHAR: .;
