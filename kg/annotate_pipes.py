"""Exact, faster stand-ins for the two spaCy components that hold the GIL longest.

In `en_core_web_sm` the attribute ruler (179 token patterns run by a Matcher over every token) and
the rule lemmatizer (a Python call per token) take about as much CPU as the parser, and all of it
under the GIL, so it is time the build's own Python (extraction, resolution) cannot overlap.
Each stand-in gives the same annotations as the component it replaces, byte for byte
(tests/test_annotate_pipes.py compares them with the stock pipeline), by remembering answers:

- `FastAttributeRuler`: whether a pattern token matches depends only on a token's tag, lower-case
  form, dependency label and whether it is a space, so the rules that match (or that may start a
  match of two tokens) are worked out once per such key; forms that no pattern names or matches
  by a regular expression share one key. The rules are then applied in the ruler's
  own order, later rules winning, as `AttributeRuler` applies them, and written back as arrays; a
  pattern that reads anything else goes through a Matcher of its own.
- `FastLemmatizer`: a rule lemma depends only on the token's form, part of speech and
  morphology, so it is computed once per key and written back as an array; and the stock
  lemmatizer it calls for a new key looks words up in sets instead of scanning lists.

Both keep a bounded memory of keys.
"""

from __future__ import annotations

import re

MAX_REMEMBERED = 200_000  # keys kept before a memory starts again; well above a large archive's vocabulary
OTHER_FORM = -1  # the memory's stand-in for every lower-case form no attribute rule names (hashes are >= 0)
_SINGLE_TOKEN_KEYS = frozenset({"TAG", "LOWER", "DEP", "IS_SPACE"})


def _value_matches(wanted, value) -> bool:
    """Return whether a token attribute `value` satisfies one pattern value (a literal, IN, NOT_IN or REGEX)."""
    if not isinstance(wanted, dict):
        return value == wanted
    for operator, argument in wanted.items():
        if operator == "IN" and value not in argument:
            return False
        if operator == "NOT_IN" and value in argument:
            return False
        if operator == "REGEX" and not re.search(argument, value):
            return False
        if operator not in ("IN", "NOT_IN", "REGEX"):
            raise ValueError(f"unsupported pattern operator {operator!r}")
    return True


def _token_matches(pattern_token: dict, values: dict) -> bool:
    """Return whether a token's attribute values satisfy every key of one pattern token."""
    return all(_value_matches(wanted, values[key]) for key, wanted in pattern_token.items())


class FastAttributeRuler:
    """The attribute ruler of a loaded pipeline, with what its rules say remembered per token key.

    Takes the stock `AttributeRuler`; called on a Doc, sets the same attributes it would set.
    """

    def __init__(self, ruler) -> None:
        from spacy.matcher import Matcher

        self.attrs = [dict(attrs) for attrs in ruler.attrs]
        self.indices = list(ruler.indices)
        self.columns = sorted({attribute for attrs in self.attrs for attribute in attrs})
        if not all(isinstance(attribute, int) for attribute in self.columns):
            raise ValueError("attribute rules that set extension attributes are left to the stock ruler")
        self.column_of = {attribute: n for n, attribute in enumerate(self.columns)}
        # Patterns over the four token keys, filed under one literal value their first token requires, so
        # that working out a new key looks at the few rules that could start there:
        # {(attribute, value): [(rule id, pattern tokens)]}.
        self.by_value: dict[tuple, list[tuple[int, tuple]]] = {}
        self.unfiled: list[tuple[int, tuple]] = []  # first token with no literal value (only IN, NOT_IN, REGEX)
        self.matcher = Matcher(ruler.vocab, validate=False)  # any pattern reading more than the four keys
        for rule_id, rule in enumerate(ruler.patterns):
            for pattern in rule["patterns"]:
                if not all(set(token) <= _SINGLE_TOKEN_KEYS for token in pattern):
                    self.matcher.add(str(rule_id), [pattern])
                    continue
                first = sorted(pattern[0].items())
                literal = next(((k, v) for k, v in first if not isinstance(v, dict)), None)
                filed = self.by_value.setdefault(literal, []) if literal else self.unfiled
                filed.append((rule_id, tuple(pattern)))
        # The lower-case forms the filed patterns name, and their regular expressions: every other form
        # passes and fails the same LOWER tests, so such forms share one memory key (OTHER_FORM).
        self.named_forms: set[str] = set()
        self.form_patterns: list[str] = []
        for patterns in (*self.by_value.values(), self.unfiled):
            for _, pattern in patterns:
                for token in pattern:
                    self._note_forms(token.get("LOWER"))
        self.form_class: dict[int, int] = {}  # lower-case form (hash) -> itself, or OTHER_FORM
        # token key -> (rules whose one-token pattern matches, (rule id, longer pattern) starting here)
        self.memory: dict[tuple, tuple[tuple[int, ...], tuple]] = {}
        self.merged: dict[tuple[int, ...], tuple] = {}  # rule ids -> ((attribute, value), ...) once applied in order

    def _note_forms(self, wanted) -> None:
        if wanted is None:
            return
        if not isinstance(wanted, dict):
            self.named_forms.add(wanted)
            return
        for operator, argument in wanted.items():
            if operator == "REGEX":
                self.form_patterns.append(argument)
            else:  # IN, NOT_IN (any other operator is refused when a rule is first worked out)
                self.named_forms.update(argument)

    def _form_class(self, strings, lower: int) -> int:
        """Return the memory key part of a lower-case form: the form itself if a pattern may tell it apart."""
        found = self.form_class.get(lower)
        if found is None:
            form = strings[lower]
            named = form in self.named_forms or any(re.search(p, form) for p in self.form_patterns)
            found = self.form_class[lower] = lower if named else OTHER_FORM
        return found

    @staticmethod
    def _values(strings, key: tuple) -> dict:
        tag, lower, dep, is_space = key
        return {"TAG": strings[tag], "LOWER": strings[lower], "DEP": strings[dep], "IS_SPACE": bool(is_space)}

    def _entry_for(self, values: dict) -> tuple[tuple[int, ...], tuple]:
        candidates = [*self.unfiled]
        for attribute, value in values.items():
            candidates += self.by_value.get((attribute, value), ())
        single, starts = set(), []
        for rule_id, pattern in candidates:
            if _token_matches(pattern[0], values):
                if len(pattern) == 1:
                    single.add(rule_id)
                else:
                    starts.append((rule_id, pattern))
        return tuple(sorted(single)), tuple(sorted(starts, key=lambda item: item[0]))

    def _merged(self, rules: tuple[int, ...]) -> tuple:
        found = self.merged.get(rules)
        if found is None:
            values: dict = {}
            for rule_id in rules:  # in rule order: a later rule overwrites an earlier one
                values.update(self.attrs[rule_id])
            found = self.merged[rules] = tuple(values.items())
        return found

    def __call__(self, doc):
        """Set the ruler's attributes on `doc` (POS, MORPH, LEMMA, TAG, DEP as its rules say); returns it."""
        import numpy
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG

        if len(self.memory) + len(self.form_class) > MAX_REMEMBERED:
            self.forget()
        strings = doc.vocab.strings
        keys = [tuple(row) for row in doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist()]
        entries = []
        memory, form_class = self.memory, self.form_class
        for key in keys:
            tag, lower, dep, is_space = key
            form = form_class.get(lower)
            if form is None:
                form = self._form_class(strings, lower)
            entry = memory.get((tag, form, dep, is_space))
            if entry is None:  # worked out on this token's own form, which stands for every form of its class
                entry = memory[(tag, form, dep, is_space)] = self._entry_for(self._values(strings, key))
            entries.append(entry)
        # Matches longer than one token, and their rules' targets: {token: [(rule id, match start)]}.
        longer: list[tuple[int, int, int]] = []
        for start, (_, starts) in enumerate(entries):
            for rule_id, pattern in starts:
                end = start + len(pattern)
                if end <= len(keys) and all(
                    _token_matches(pattern[j], self._values(strings, keys[start + j])) for j in range(1, len(pattern))
                ):
                    longer.append((rule_id, start, end))
        if len(self.matcher):
            longer.extend((int(strings[m]), s, e) for m, s, e in self.matcher(doc, allow_missing=True))
        targets: dict[int, list[tuple[int, int]]] = {}
        for rule_id, start, end in longer:
            index = self.indices[rule_id]
            position = start + index if index >= 0 else end + index
            if not start <= position < end:
                raise ValueError(f"attribute rule {rule_id} points outside its match")
            targets.setdefault(position, []).append((rule_id, start))
        columns, column_of = self.columns, self.column_of
        table = doc.to_array(columns).tolist()
        changed = set()
        for i, (single, _) in enumerate(entries):
            if i in targets:  # every match on this token, in the ruler's order: by rule, then by start
                values: dict = {}
                for rule_id, _start in sorted([(r, i) for r in single] + targets[i]):
                    values.update(self.attrs[rule_id])
                assignments = values.items()
            else:
                assignments = self._merged(single)
            row = table[i]
            for attribute, value in assignments:
                n = column_of[attribute]
                row[n] = value
                changed.add(n)
        if changed:
            kept = sorted(changed)
            array = numpy.array([[row[n] for n in kept] for row in table], dtype="uint64")
            array = array.reshape(len(table), len(kept))
            doc.from_array([columns[n] for n in kept], array)
        return doc

    def forget(self) -> None:
        """Empty the memories: rules per token key, merged rule values and the classes of forms."""
        self.memory.clear()
        self.merged.clear()
        self.form_class.clear()


def _indexed_lookups(lookups):
    """Return a copy of a lemmatizer's Lookups whose `lemma_index` lists are frozensets.

    The rule lemmatizer only asks whether a candidate form is `in` the index of its part of speech,
    and the English noun index is a list of some 57,000 words, so each new word cost a scan of it:
    about 0.2 ms, most of a fresh process's lemmatizing. A set answers the same question at once.
    """
    from spacy.lookups import Lookups, Table

    copy = Lookups()
    for name in lookups.tables:
        table = lookups.get_table(name)
        if name == "lemma_index":
            indexed = Table(name=name)
            indexed.update({key: frozenset(words) for key, words in table.items()})
            table = indexed
        copy.set_table(name, table)
    return copy


class FastLemmatizer:
    """The rule lemmatizer of a loaded pipeline, with each lemma remembered per (form, POS, morphology).

    Takes the stock `Lemmatizer`; called on a Doc, fills the same lemmas it would fill. The stock
    component is given set-indexed copies of its tables (`_indexed_lookups`), which answer alike.
    """

    def __init__(self, lemmatizer) -> None:
        lemmatizer.lookups = _indexed_lookups(lemmatizer.lookups)
        self.lemmatizer = lemmatizer
        self.memory: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc):
        """Fill each token's lemma where none is set yet (or everywhere if the lemmatizer overwrites); returns `doc`."""
        import numpy
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        if len(self.memory) > MAX_REMEMBERED:
            self.forget()
        strings = doc.vocab.strings
        overwrite = self.lemmatizer.overwrite
        array = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = array[:, 3].copy()
        for i, (orth, pos, morph, lemma) in enumerate(array.tolist()):
            if lemma and not overwrite:
                continue
            key = (orth, pos, morph)
            found = self.memory.get(key)
            if found is None:
                found = strings.add(self.lemmatizer.lemmatize(doc[i])[0])
                self.memory[key] = found
            lemmas[i] = found
        doc.from_array([LEMMA], numpy.ascontiguousarray(lemmas.reshape(-1, 1)))
        return doc

    def forget(self) -> None:
        """Empty this memory and the stock lemmatizer's own cache, which remembers the same lemmas."""
        self.memory.clear()
        self.lemmatizer.cache.clear()


def forget(nlp) -> None:
    """Empty the memories of the stand-ins in a loaded pipeline, as in a fresh process (for fair benchmarks)."""
    for _, component in nlp.pipeline:
        if isinstance(component, (FastAttributeRuler, FastLemmatizer)):
            component.forget()


def _register_factories() -> None:
    from spacy.language import Language

    if "newskg_attribute_ruler" not in Language.factories:
        Language.factory("newskg_attribute_ruler", func=lambda nlp, name: FastAttributeRuler(nlp.get_pipe(name[5:])))
        Language.factory("newskg_lemmatizer", func=lambda nlp, name: FastLemmatizer(nlp.get_pipe(name[5:])))


def use_fast_pipes(nlp) -> None:
    """Swap the pipeline's `attribute_ruler` and rule `lemmatizer` for the stand-ins above, in place.

    Takes a loaded `spacy.Language`; components it does not have, or a lemmatizer not in rule
    mode, are left as they are. The stand-ins take the names and places of the components they
    replace, so `nlp.pipe_names` is unchanged.
    """
    _register_factories()
    for name, component in list(nlp.pipeline):
        kind = type(component).__name__
        if kind == "AttributeRuler":
            factory = "newskg_attribute_ruler"
        elif kind.endswith("Lemmatizer") and getattr(component, "mode", None) == "rule":
            if not component._validated:  # the stock component checks its tables on its first call
                component._validate_tables()
            factory = "newskg_lemmatizer"
        else:
            continue
        try:
            nlp.add_pipe(factory, name=f"fast-{name}", before=name)  # the factory reads the stock one by name
        except ValueError:  # rules the stand-in cannot apply as arrays: keep the stock component
            continue
        nlp.remove_pipe(name)
        nlp.rename_pipe(f"fast-{name}", name)
