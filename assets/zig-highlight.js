// Zig for highlight.js. mdBook 0.5.4 bundles highlight.js 10.1.1, which has
// no Zig grammar; this file registers one. book.js highlights the blocks
// from DOMContentLoaded on, after this script has run, so the ```zig blocks
// are highlighted with the others, once. The classes are highlight.js's own (`hljs-keyword`,
// `hljs-string`, ...), so mdBook's theme stylesheets colour them.
(() => {
    'use strict';

    if (typeof hljs === 'undefined') {
        return;
    }

    hljs.registerLanguage('zig', (hljs) => ({
        name: 'Zig',
        keywords: {
            keyword:
                'addrspace align allowzero and anyframe anytype asm async await break callconv ' +
                'catch comptime const continue defer else enum errdefer error export extern fn ' +
                'for if inline linksection noalias noinline nosuspend opaque or orelse packed ' +
                'pub resume return struct suspend switch test threadlocal try union unreachable ' +
                'usingnamespace var volatile while',
            type:
                'i8 u8 i16 u16 i32 u32 i64 u64 i128 u128 isize usize c_char c_short c_ushort ' +
                'c_int c_uint c_long c_ulong c_longlong c_ulonglong c_longdouble f16 f32 f64 ' +
                'f80 f128 bool anyopaque void noreturn type anyerror comptime_int comptime_float',
            literal: 'true false null undefined',
        },
        contains: [
            // `///` doc comments and `//` comments (Zig has no block comments).
            hljs.COMMENT('//', '$'),
            { className: 'built_in', begin: /@[A-Za-z_][A-Za-z0-9_]*/ },
            // Arbitrary-width integers: u3, i7, u128 ...
            { className: 'type', begin: /\b[iu][0-9]+\b/ },
            {
                className: 'string',
                variants: [
                    { begin: /"/, end: /"/, illegal: /\n/, contains: [hljs.BACKSLASH_ESCAPE] },
                    // Multiline string lines: \\text to the end of the line.
                    { begin: /\\\\/, end: /$/ },
                    { begin: /'/, end: /'/, illegal: /\n/, contains: [hljs.BACKSLASH_ESCAPE] },
                ],
            },
            {
                className: 'number',
                begin:
                    /\b(0x[0-9A-Fa-f_]+(\.[0-9A-Fa-f_]+)?([pP][-+]?[0-9_]+)?|0o[0-7_]+|0b[01_]+|[0-9][0-9_]*(\.[0-9_]+)?([eE][-+]?[0-9_]+)?)\b/,
                relevance: 0,
            },
            // A function's name where it is declared.
            {
                className: 'function',
                beginKeywords: 'fn',
                end: /\(/,
                excludeEnd: true,
                contains: [hljs.UNDERSCORE_TITLE_MODE],
            },
        ],
    }));
})();
