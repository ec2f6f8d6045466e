// The Prolog side of tmake's logic stage, loaded into the engine once. JavaScript only ever
// passes atoms and lists of atoms in and gets atoms, strings and numbers back: goals and
// makefile values never travel as Prolog source text, so nothing needs quoting.
//
// Makefile Prolog lives in one module per read database (`tmake_db_N`); biomake accumulates
// clauses across `prolog ... endprolog` blocks (a later block adds to a predicate rather than
// redefining it), so blocks are read term by term and asserted, with DCG rules translated and
// directives run, instead of being loaded as files.
export const SUPPORT_MODULE = "tmake_support";

export const SUPPORT_SOURCE = String.raw`
:- module(tmake_support, []).

:- dynamic stored_goal/4.
:- dynamic goal_counter/1.
goal_counter(0).

% consult_text(+Module, +Text, -Status, -Line, -Message)
%   Status is ok, or error with the 1-based line of Text and a message.
consult_text(M, Text, Status, Line, Msg) :-
    setup_call_cleanup(open_string(Text, S),
                       consult_stream(M, S, Status, Line, Msg),
                       close(S)).

consult_stream(M, S, Status, Line, Msg) :-
    catch(read_term(S, T, [module(M), term_position(P)]), E, true),
    (   nonvar(E)
    ->  Status = error, error_line(E, S, Line), error_text(E, Msg)
    ;   T == end_of_file
    ->  Status = ok, Line = 0, Msg = ""
    ;   stream_position_data(line_count, P, L0),
        catch(add_term(M, T), E2, true),
        (   nonvar(E2)
        ->  Status = error, Line = L0, error_text(E2, Msg)
        ;   consult_stream(M, S, Status, Line, Msg)
        )
    ).

error_line(error(_, stream(_, L, _, _)), _, L) :- !.
error_line(_, S, L) :- line_count(S, L).

add_term(M, (:- Directive)) :- !,
    (   M:Directive -> true
    ;   throw(error(goal_failed(directive, Directive), _))
    ).
add_term(M, T) :-
    M:expand_term(T, X),
    (   is_list(X) -> forall(member(C, X), assertz(M:C)) ; assertz(M:X) ).

% compile_goal(+Module, +Text, -Id, -Names, -Status, -Message)
%   Parses a rule's goal once; Names are its variable names. test_goal/8 calls a fresh copy.
compile_goal(M, Text, Id, Names, Status, Msg) :-
    catch(term_string(G, Text, [module(M), variable_names(VNs)]), E, true),
    (   nonvar(E)
    ->  Status = error, error_text(E, Msg), Id = 0, Names = []
    ;   retract(goal_counter(N)), Id is N + 1, assertz(goal_counter(Id)),
        assertz(stored_goal(Id, M, G, VNs)),
        findall(Name, member(Name=_, VNs), Names),
        Status = ok, Msg = ""
    ).

% test_goal(+Id, +InNames, +InValues, -Status, -Out, -Msg, -BoundNames, -BoundValues)
%   Binds the goal's variables named in InNames, calls it once with its output captured,
%   and reports every other variable it left bound to a ground value (as text).
test_goal(Id, InNames, InValues, Status, Out, Msg, BNames, BValues) :-
    stored_goal(Id, M, G, VNs), !,
    bind_inputs(InNames, InValues, VNs),
    with_output_to(string(Out), run(M:G, Status, Msg)),
    flush_output(user_output),
    (   Status == true
    ->  findall(N-V, ( member(N=Var, VNs),
                       \+ memberchk(N, InNames),
                       \+ sub_atom(N, 0, 1, _, '_'),
                       ground(Var),
                       value_text(Var, V) ), Pairs),
        pairs_keys_values(Pairs, BNames, BValues)
    ;   BNames = [], BValues = []
    ).

bind_inputs([], [], _).
bind_inputs([N|Ns], [V|Vs], VNs) :-
    (   memberchk(N=Var, VNs) -> Var = V ; true ),
    bind_inputs(Ns, Vs, VNs).

run(G, Status, Msg) :-
    catch(( call(G) -> Status = true ; Status = false ), E, true),
    (   nonvar(E) -> Status = error, error_text(E, Msg) ; Msg = "" ).

% bagof_words(+Module, +TemplateText, +GoalText, -Status, -Out, -Msg, -Words)
%   biomake's $(bagof Template,Goal): the solutions' texts, or Status = false when there are
%   none. Template and goal are parsed together so that they share variables.
bagof_words(M, TT, GT, Status, Out, Msg, Words) :-
    format(string(Text), "tmake_bagof((~w),(~w))", [TT, GT]),
    catch(term_string(tmake_bagof(T, G), Text, [module(M)]), E, true),
    (   nonvar(E)
    ->  Status = error, error_text(E, Msg), Out = "", Words = []
    ;   with_output_to(string(Out), run(M:bagof(T, G, L), Status, Msg)),
        flush_output(user_output),
        (   Status == true -> maplist(value_text, L, Words) ; Words = [] )
    ).

% The text a Prolog value gives in make: atoms and strings as they are, numbers as written,
% lists as their elements' texts separated by spaces, other terms as write/1 prints them.
value_text(V, T) :- atom(V), !, T = V.
value_text(V, T) :- string(V), !, atom_string(T, V).
value_text(V, T) :- number(V), !, format(atom(T), "~w", [V]).
value_text(V, T) :- is_list(V), !, maplist(value_text, V, Ts), atomic_list_concat(Ts, ' ', T).
value_text(V, T) :- format(atom(T), "~w", [V]).

% One line of text for an error term, without the context and without the name of the
% database's module (the goal is known to the user).
error_text(error(goal_failed(directive, D), _), Msg) :- !,
    format(string(Msg), "Directive failed: ~q", [D]).
error_text(error(existence_error(procedure, M:PI), _), Msg) :-
    atom(M), sub_atom(M, 0, _, _, tmake_db_), !,
    error_text(error(existence_error(procedure, PI), _), Msg).
error_text(error(Formal, _), Msg) :- message_text(error(Formal, _), Msg), !.
error_text(E, Msg) :- message_text(E, Msg), !.
error_text(E, Msg) :- format(string(Msg), "Unhandled exception: ~q", [E]).

message_text(E, Msg) :-
    catch(( phrase('$messages':translate_message(E), Lines),
            with_output_to(codes(C), print_message_lines(current_output, '', Lines)) ),
          _, fail),
    first_line(C, Msg),
    Msg \== "".

first_line(Codes, Line) :-
    string_codes(S, Codes),
    split_string(S, "\n", "", [First|_]),
    normalize_space(string(Line), First).
`;
