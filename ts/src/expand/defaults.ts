// GNU Make's built-in ("default" origin) variables, as `make -p -f /dev/null` lists them for
// GNU Make 4.3. They are installed unless -R / --no-builtin-variables is given. The table is a
// flat list so installing it is one cheap loop of Map.set calls.

/** [name, value] pairs of the recursively expanded built-in variables (CC, CFLAGS users, ...). */
export const BUILTIN_VARIABLES: readonly (readonly [string, string])[] = [
  [".LIBPATTERNS", "lib%.so lib%.a"],
  ["AR", "ar"],
  ["ARFLAGS", "rv"],
  ["AS", "as"],
  ["CC", "cc"],
  ["CHECKOUT,v", "+$(if $(wildcard $@),,$(CO) $(COFLAGS) $< $@)"],
  ["CO", "co"],
  ["COFLAGS", ""],
  ["COMPILE.C", "$(COMPILE.cc)"],
  ["COMPILE.F", "$(FC) $(FFLAGS) $(CPPFLAGS) $(TARGET_ARCH) -c"],
  ["COMPILE.S", "$(CC) $(ASFLAGS) $(CPPFLAGS) $(TARGET_MACH) -c"],
  ["COMPILE.c", "$(CC) $(CFLAGS) $(CPPFLAGS) $(TARGET_ARCH) -c"],
  ["COMPILE.cc", "$(CXX) $(CXXFLAGS) $(CPPFLAGS) $(TARGET_ARCH) -c"],
  ["COMPILE.cpp", "$(COMPILE.cc)"],
  ["COMPILE.def", "$(M2C) $(M2FLAGS) $(DEFFLAGS) $(TARGET_ARCH)"],
  ["COMPILE.f", "$(FC) $(FFLAGS) $(TARGET_ARCH) -c"],
  ["COMPILE.m", "$(OBJC) $(OBJCFLAGS) $(CPPFLAGS) $(TARGET_ARCH) -c"],
  ["COMPILE.mod", "$(M2C) $(M2FLAGS) $(MODFLAGS) $(TARGET_ARCH)"],
  ["COMPILE.p", "$(PC) $(PFLAGS) $(CPPFLAGS) $(TARGET_ARCH) -c"],
  ["COMPILE.r", "$(FC) $(FFLAGS) $(RFLAGS) $(TARGET_ARCH) -c"],
  ["COMPILE.s", "$(AS) $(ASFLAGS) $(TARGET_MACH)"],
  ["CPP", "$(CC) -E"],
  ["CTANGLE", "ctangle"],
  ["CWEAVE", "cweave"],
  ["CXX", "g++"],
  ["F77", "$(FC)"],
  ["F77FLAGS", "$(FFLAGS)"],
  ["FC", "f77"],
  ["GET", "get"],
  ["LD", "ld"],
  ["LEX", "lex"],
  ["LEX.l", "$(LEX) $(LFLAGS) -t"],
  ["LEX.m", "$(LEX) $(LFLAGS) -t"],
  ["LINK.C", "$(LINK.cc)"],
  ["LINK.F", "$(FC) $(FFLAGS) $(CPPFLAGS) $(LDFLAGS) $(TARGET_ARCH)"],
  ["LINK.S", "$(CC) $(ASFLAGS) $(CPPFLAGS) $(LDFLAGS) $(TARGET_MACH)"],
  ["LINK.c", "$(CC) $(CFLAGS) $(CPPFLAGS) $(LDFLAGS) $(TARGET_ARCH)"],
  ["LINK.cc", "$(CXX) $(CXXFLAGS) $(CPPFLAGS) $(LDFLAGS) $(TARGET_ARCH)"],
  ["LINK.cpp", "$(LINK.cc)"],
  ["LINK.f", "$(FC) $(FFLAGS) $(LDFLAGS) $(TARGET_ARCH)"],
  ["LINK.m", "$(OBJC) $(OBJCFLAGS) $(CPPFLAGS) $(LDFLAGS) $(TARGET_ARCH)"],
  ["LINK.o", "$(CC) $(LDFLAGS) $(TARGET_ARCH)"],
  ["LINK.p", "$(PC) $(PFLAGS) $(CPPFLAGS) $(LDFLAGS) $(TARGET_ARCH)"],
  ["LINK.r", "$(FC) $(FFLAGS) $(RFLAGS) $(LDFLAGS) $(TARGET_ARCH)"],
  ["LINK.s", "$(CC) $(ASFLAGS) $(LDFLAGS) $(TARGET_MACH)"],
  ["LINT", "lint"],
  ["LINT.c", "$(LINT) $(LINTFLAGS) $(CPPFLAGS) $(TARGET_ARCH)"],
  ["M2C", "m2c"],
  ["MAKEINFO", "makeinfo"],
  ["OBJC", "cc"],
  ["OUTPUT_OPTION", "-o $@"],
  ["PC", "pc"],
  ["PREPROCESS.F", "$(FC) $(FFLAGS) $(CPPFLAGS) $(TARGET_ARCH) -F"],
  ["PREPROCESS.S", "$(CC) -E $(CPPFLAGS)"],
  ["PREPROCESS.r", "$(FC) $(FFLAGS) $(RFLAGS) $(TARGET_ARCH) -F"],
  ["RM", "rm -f"],
  ["TANGLE", "tangle"],
  ["TEX", "tex"],
  ["TEXI2DVI", "texi2dvi"],
  ["WEAVE", "weave"],
  ["YACC", "yacc"],
  ["YACC.m", "$(YACC) $(YFLAGS)"],
  ["YACC.y", "$(YACC) $(YFLAGS)"],
];

/** GNU's define_automatic_variables: the directory and file parts of the automatic
 * variables ($(@D), $(<F), ...), defined in every run (even under -R) as recursive variables
 * of origin "automatic", which a makefile's global assignment cannot replace (a target's
 * own can). */
export const AUTOMATIC_DF_VARIABLES: readonly (readonly [string, string])[] = [..."@%*<^+?"].flatMap((v) => [
  [`${v}D`, `$(patsubst %/,%,$(dir $${v}))`] as const,
  [`${v}F`, `$(notdir $${v})`] as const,
]);

/** The suffix list GNU gives .SUFFIXES (and the SUFFIXES variable) when built-in rules are on. */
export const DEFAULT_SUFFIXES =
  ".out .a .ln .o .c .cc .C .cpp .p .f .F .m .r .y .l .ym .yl .s .S .mod .sym .def .h .info .dvi .tex .texinfo .texi .txinfo .w .ch .web .sh .elc .el";

/** Directories GNU searches for `include` files after the -I ones. */
export const DEFAULT_INCLUDE_DIRS = ["/usr/local/include", "/usr/include"];

/** What $(.FEATURES) says (GNU 4.3's list, minus `load`/`guile`/`archives` which tmake lacks). */
export const FEATURES =
  "target-specific order-only second-expansion else-if shortest-stem undefine oneshell nocomment grouped-target extra-prereqs jobserver output-sync check-symlink";
