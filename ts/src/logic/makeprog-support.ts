// The Prolog side of biomake's Makeprog syntax (a build specification written in Prolog), loaded
// into the engine as its own module next to tmake_support. It reads Makeprog text with the real
// Prolog reader (with biomake's operators `<--`, `?=`, `:=`, `+=`, `=*`), sorts each term into
// what it means to make (a rule, an assignment, an export, an option) or plain Prolog, and hands
// the result back to JavaScript as one JSON text; it also solves the goals a Makeprog needs
// answered while it is read, and writes the Prolog text of a makefile's translation (-T).
//
// Texts cross the boundary as JSON strings (made here) or as atoms (JavaScript's strings arrive
// as atoms), never as Prolog source to be re-read, except the goals, which are Prolog by nature.
export const MAKEPROG_MODULE = "tmake_makeprog";

export const MAKEPROG_SOURCE = String.raw`
:- op(1100, xfy, <--).
:- op(1101, xfy, ?=).
:- op(1102, xfy, :=).
:- op(1103, xfy, +=).
:- op(1104, xfy, =*).

% ---- reading a Makeprog ---------------------------------------------------------------------

% read_makeprog(+Text, -Json)
%   {"items":[...]} for the terms of Text, in order, or {"items":[...],"error":{...}} with the
%   items before the first term that cannot be read or understood.
read_makeprog(Text, Json) :-
    setup_call_cleanup(open_string(Text, S),
                       read_items(S, Text, Items, Error),
                       close(S)),
    (   Error == none
    ->  Obj = obj(["items"-list(Items)])
    ;   Obj = obj(["items"-list(Items), "error"-Error])
    ),
    json_text(Obj, Json).

read_items(S, Text, Items, Error) :-
    catch(read_term(S, T, [ variable_names(VNs), subterm_positions(P), term_position(TP),
                            syntax_errors(error), module(tmake_makeprog) ]),
          E, true),
    (   nonvar(E)
    ->  Items = [], read_error(E, S, Error)
    ;   T == end_of_file
    ->  Items = [], Error = none
    ;   stream_position_data(line_count, TP, Line),
        arg(1, P, From), arg(2, P, To),
        Len is To - From,
        sub_string(Text, From, Len, _, Source),
        catch(( item(T, VNs, Source, Fields) -> true ; Fields = ["kind"-str("clause"), "text"-str(Source)] ),
              makeprog_error(Msg), true),
        (   nonvar(Msg)
        ->  Items = [], Error = obj(["line"-num(Line), "message"-str(Msg)])
        ;   Items = [obj(["line"-num(Line)|Fields])|Rest],
            read_items(S, Text, Rest, Error)
        )
    ).

read_error(E, S, obj(["line"-num(Line), "message"-str(Msg)])) :-
    tmake_support:error_line(E, S, Line),
    tmake_support:error_text(E, Msg).

% item(+Term, +VariableNames, +Source, -Fields): what Term means to make; fails for plain Prolog.
item((Head <-- Body), VNs, _, ["kind"-str("rule") | Fields]) :- !,
    rule_head(Head, Targets, HeadGoal),
    rule_body(Body, Deps, DepsGoal, Execs),
    parts_json(Targets, VNs, TJ),
    parts_json(Deps, VNs, DJ),
    parts_json(Execs, VNs, EJ),
    goal_fields(HeadGoal, "targetGoal", VNs, HF),
    goal_fields(DepsGoal, "depsGoal", VNs, DF),
    append([["targets"-TJ, "deps"-DJ, "recipe"-EJ], HF, DF], Fields).
item(Term, VNs, _, ["kind"-str("assign-goal"), "name"-str(Name), "pattern"-str(Pattern), "goal"-str(G)]) :-
    Term = (Var := Rhs), var(Var),
    nonvar(Rhs), Rhs = (Value, Braced), nonvar(Braced), Braced = {Goal},
    var_name(Var, VNs, Name), !,
    value_text(Value, VNs, Pattern),
    goal_text(Goal, VNs, G).
item(Term, VNs, _, ["kind"-str("assign"), "name"-str(Name), "op"-str(Op), "value"-str(Text)]) :-
    compound(Term), Term =.. [F, Var, Value],
    assignment_op(F, Op),
    var(Var), var_name(Var, VNs, Name), !,
    value_text(Value, VNs, Text).
item(export(Var), VNs, _, ["kind"-str("export"), "name"-str(Name)]) :-
    (   var(Var) -> var_name(Var, VNs, Name)
    ;   atom(Var) -> atom_string(Var, Name)
    ), !.
item(option(Opt), VNs, _, ["kind"-str("option"), "name"-str(Name), "values"-VJ, "text"-str(Text)]) :-
    compound(Opt), compound_name_arguments(Opt, F, [Arg]), !,
    atom_string(F, Name),
    parts_json(Arg, VNs, VJ),
    format(string(Text), "~q", [Opt]).

assignment_op(=, "=").
assignment_op(?=, "?=").
assignment_op(:=, ":=").
assignment_op(+=, "+=").
assignment_op(=*, "!=").

% The braces of a goal must be written: a variable in their place is a rule part.
braced(X, G) :- nonvar(X), X = {G}.

rule_head(H, Ts, G) :- nonvar(H), H = (Ts, X), braced(X, G), !.
rule_head(H, H, none).

rule_body(B, D, G, E) :- nonvar(B), B = (D, R), nonvar(R), R = (X, E), braced(X, G), !.
rule_body(B, D, G, []) :- nonvar(B), B = (D, X), braced(X, G), !.
rule_body(B, D, none, E) :- nonvar(B), B = (D, E), !.
rule_body(D, D, none, []).

goal_fields(none, _, _, []) :- !.
goal_fields(true, _, _, []) :- !.
goal_fields(G, Key, VNs, [Key-str(Text)]) :- goal_text(G, VNs, Text).

goal_text(G, VNs, Text) :-
    with_output_to(string(Text), write_term(G, [quoted(true), variable_names(VNs)])).

var_name(V, VNs, Name) :- member(N=X, VNs), X == V, !, atom_string(N, Name).
var_name(_, _, "_").

% The texts of a rule part: one text per element of a list (lists nest), a Prolog variable
% as {"var":Name}. A single text needs no list; comma sequences (a, b) count as lists.
parts_json(X, VNs, list(Js)) :- parts(X, VNs, Ps), maplist(part_json, Ps, Js).

part_json(var(N), obj(["var"-str(N)])).
part_json(text(S), str(S)).

parts(X, VNs, [var(N)]) :- var(X), !, var_name(X, VNs, N).
parts([], _, []) :- !.
parts([H|T], VNs, Ps) :- !, parts(H, VNs, P1), parts(T, VNs, P2), append(P1, P2, Ps).
parts((A, B), VNs, Ps) :- !, parts(A, VNs, P1), parts(B, VNs, P2), append(P1, P2, Ps).
parts(X, VNs, [text(S)]) :- part_text(X, VNs, S).

% biomake's texts: atoms, strings and numbers as written, t(...) the concatenation of its parts.
part_text(X, _, S) :- string(X), !, S = X.
part_text(X, _, S) :- atom(X), !, atom_string(X, S).
part_text(X, _, S) :- number(X), !, format(string(S), "~w", [X]).
part_text(X, VNs, S) :- compound(X), compound_name_arguments(X, t, Args), !, concat_text(Args, VNs, S).
part_text(X, VNs, _) :- var(X), !,
    var_name(X, VNs, N),
    format(string(Msg), "unbound Prolog variable ~w where a text is needed", [N]),
    throw(makeprog_error(Msg)).
part_text(X, VNs, _) :-
    with_output_to(string(T), write_term(X, [quoted(true), variable_names(VNs)])),
    format(string(Msg), "~w is not a text (use a quoted atom, a string or a list of them)", [T]),
    throw(makeprog_error(Msg)).

concat_text(X, VNs, S) :- is_list(X), !, maplist([E, T]>>concat_text(E, VNs, T), X, Ts), atomic_list_concat(Ts, A), atom_string(A, S).
concat_text(X, VNs, S) :- part_text(X, VNs, S).

% An assignment's value: its texts separated by blanks.
value_text(X, VNs, Text) :-
    parts(X, VNs, Ps),
    maplist(plain_text(VNs), Ps, Ts),
    atomic_list_concat(Ts, ' ', A), atom_string(A, Text).

plain_text(_, text(S), S).
plain_text(_, var(N), _) :-
    format(string(Msg), "unbound Prolog variable ~w where a text is needed", [N]),
    throw(makeprog_error(Msg)).

% ---- goals answered while reading -----------------------------------------------------------

% first_solution(+Module, +GoalText, +Names, +Values, -Json)
%   Calls the goal once in Module with its variables named in Names bound to the Values (TARGET,
%   makefile variables); Json is {"ok":true, "bindings":{Name:[texts]}} with the texts of every
%   named variable it left bound (lists give one text per element), or {"ok":false}.
first_solution(M, GoalText, Names, Values, Json) :-
    term_string(G, GoalText, [module(M), variable_names(VNs)]),
    tmake_support:bind_inputs(Names, Values, VNs),
    (   call(M:G)
    ->  bindings_json(VNs, B), Obj = obj(["ok"-true, "bindings"-B])
    ;   Obj = obj(["ok"-false])
    ),
    json_text(Obj, Json).

% all_solutions(+Module, +GoalText, -Json)
%   [{Name:text,...},...]: for each solution of the goal, the texts of its named variables.
all_solutions(M, GoalText, Json) :-
    term_string(G, GoalText, [module(M), variable_names(VNs)]),
    findall(B, ( call(M:G), flat_bindings_json(VNs, B) ), Bs),
    json_text(list(Bs), Json).

bindings_json(VNs, obj(Pairs)) :-
    findall(K-list(Js),
            ( member(N=V, VNs), \+ sub_atom(N, 0, 1, _, '_'), ground(V),
              catch(parts(V, [], Ps), _, fail), maplist(part_json, Ps, Js),
              atom_string(N, K) ),
            Pairs).

flat_bindings_json(VNs, obj(Pairs)) :-
    findall(K-str(S),
            ( member(N=V, VNs), \+ sub_atom(N, 0, 1, _, '_'), ground(V),
              catch(value_text(V, [], S), _, fail),
              atom_string(N, K) ),
            Pairs).

% ---- writing the translation of a makefile (-T) ----------------------------------------------

% biomake writes a rule's targets, deps and recipe with ~q, a single one without its list.
quoted_list([X], Text) :- !, format(string(Text), "~q", [X]).
quoted_list(L, Text) :- format(string(Text), "~q", [L]).

strings(Atoms, Strings) :- maplist([A, S]>>atom_string(A, S), Atoms, Strings).

% translate_rule(+Targets, +Deps, +Recipe, +HeadGoal, +DepsGoal, -Text)
%   Lists of atoms (the texts as written); goals are goal texts, '' when absent.
translate_rule(Targets, Deps, Recipe, HeadGoal, DepsGoal, Text) :-
    strings(Targets, Ts), strings(Deps, Ds), strings(Recipe, Es),
    quoted_list(Ts, TT), quoted_list(Ds, DT),
    (   HeadGoal == '' -> Head = TT
    ;   translated_goal(HeadGoal, HG), format(string(Head), "~w, {~w}", [TT, HG])
    ),
    (   DepsGoal \== '' -> translated_goal(DepsGoal, DG0)
    ;   HeadGoal \== '' -> DG0 = "true"
    ;   DG0 = none
    ),
    (   DG0 == none -> DepPart = DT ; format(string(DepPart), "~w, {~w}", [DT, DG0]) ),
    (   Es == [] -> format(string(Text), "~w <-- ~w.~n", [Head, DepPart])
    ;   quoted_list(Es, ET), format(string(Text), "~w <-- ~w, ~w.~n", [Head, DepPart, ET])
    ).

translated_goal(GoalText, Text) :-
    term_string(G, GoalText, [module(tmake_makeprog), variable_names(VNs)]),
    with_output_to(string(Text), write_term(G, [quoted(true), variable_names(VNs)])).

% translate_assignment(+Name, +Op, +Value, +Kind, -Text): Kind is string or atom (how biomake
% writes the value: makefile values are strings, MAKEFILE_LIST's file names atoms).
translate_assignment(Name, Op, Value, Kind, Text) :-
    (   Kind == atom -> V = Value ; atom_string(Value, V) ),
    format(string(Text), "~w ~w ~q.~n", [Name, Op, V]).

% translate_option(+Name, +Values, -Text): option(Name(Values)) for a special target's names,
% option(Name(Value)) when Values is a single atom rather than a list.
translate_option(Name, Values, Text) :-
    Opt =.. [Name, Values],
    format(string(Text), "option(~q).~n", [Opt]).

% translate_prolog(+BlockText, -Text, -Status, -Line, -Msg): the clauses of a prolog block as
% biomake writes them (quoted, with their variable names, one per line).
translate_prolog(BlockText, Text, Status, Line, Msg) :-
    setup_call_cleanup(open_string(BlockText, S),
                       translate_clauses(S, Cs, Status, Line, Msg),
                       close(S)),
    atomic_list_concat(Cs, A), atom_string(A, Text).

translate_clauses(S, Cs, Status, Line, Msg) :-
    catch(read_term(S, T, [variable_names(VNs), module(tmake_makeprog)]), E, true),
    (   nonvar(E)
    ->  Cs = [], Status = error, tmake_support:error_line(E, S, Line), tmake_support:error_text(E, Msg)
    ;   T == end_of_file
    ->  Cs = [], Status = ok, Line = 0, Msg = ""
    ;   with_output_to(string(C), ( write_term(T, [quoted(true), variable_names(VNs)]), write('.'), nl )),
        Cs = [C|Rest],
        translate_clauses(S, Rest, Status, Line, Msg)
    ).

% ---- JSON ------------------------------------------------------------------------------------

json_text(Term, Json) :- with_output_to(string(S), json_write(Term)), atom_string(Json, S).

json_write(str(S)) :- !, json_write_string(S).
json_write(num(N)) :- !, write(N).
json_write(true) :- !, write(true).
json_write(false) :- !, write(false).
json_write(list(Xs)) :- !, write('['), json_write_seq(Xs), write(']').
json_write(obj(Pairs)) :- !, write('{'), json_write_pairs(Pairs), write('}').

json_write_seq([]).
json_write_seq([X]) :- !, json_write(X).
json_write_seq([X|Xs]) :- json_write(X), write(','), json_write_seq(Xs).

json_write_pairs([]).
json_write_pairs([K-V]) :- !, json_write_string(K), write(':'), json_write(V).
json_write_pairs([K-V|Ps]) :- json_write_string(K), write(':'), json_write(V), write(','), json_write_pairs(Ps).

json_write_string(S) :-
    string_codes(S, Cs),
    put_char('"'), maplist(json_put, Cs), put_char('"').

json_put(0'") :- !, write('\\"').
json_put(0'\\) :- !, write('\\\\').
json_put(C) :- C < 16, !, format("\\u000~16r", [C]).
json_put(C) :- C < 32, !, format("\\u00~16r", [C]).
json_put(C) :- put_code(C).
`;
