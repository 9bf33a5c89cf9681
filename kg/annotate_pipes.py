"""Exact, faster stand-ins for the two spaCy components that hold the GIL longest.

In `en_core_web_sm` the attribute ruler (179 token patterns run by a Matcher over every token) and
the rule lemmatizer (a Python call per token) take about as much CPU as the parser, and all of it
under the GIL, so it is time the build's own Python (extraction, resolution) cannot overlap.
Each stand-in gives the same annotations as the component it replaces, byte for byte
(tests/test_annotate_pipes.py compares them with the stock pipeline), by remembering answers:

- `FastAttributeRuler`: what the one-token patterns say depends only on a token's tag, lower-case
  form, dependency label and whether it is a space, so the matching rules are worked out once per
  such key; the few patterns of two tokens still go through a Matcher of their own. The rules are
  then applied in the ruler's own order, later rules winning, as `AttributeRuler` applies them.
- `FastLemmatizer`: a rule lemma depends only on the token's form, part of speech and
  morphology, so it is computed once per key and written back as an array.

Both keep a bounded memory of keys.
"""

from __future__ import annotations

import re

MAX_REMEMBERED = 200_000  # keys kept before a memory starts again; well above a large archive's vocabulary
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


class FastAttributeRuler:
    """The attribute ruler of a loaded pipeline, with its one-token matches remembered per token key.

    Takes the stock `AttributeRuler`; called on a Doc, sets the same attributes it would set.
    """

    def __init__(self, ruler) -> None:
        from spacy.matcher import Matcher

        self.attrs = list(ruler.attrs)
        self.indices = list(ruler.indices)
        # One-token patterns, filed under one literal value they require, so that working out a new key
        # looks at the few rules that could match it: {(attribute, value): [(rule id, pattern)]}.
        self.by_value: dict[tuple, list[tuple[int, dict]]] = {}
        self.unfiled: list[tuple[int, dict]] = []  # patterns with no literal value (only IN, NOT_IN, REGEX)
        self.multi = Matcher(ruler.vocab, validate=False)
        for rule_id, rule in enumerate(ruler.patterns):
            alternatives = rule["patterns"]
            if not all(len(p) == 1 and set(p[0]) <= _SINGLE_TOKEN_KEYS for p in alternatives):
                self.multi.add(str(rule_id), alternatives)
                continue
            for (pattern,) in alternatives:
                literal = next(((k, v) for k, v in sorted(pattern.items()) if not isinstance(v, dict)), None)
                filed = self.by_value.setdefault(literal, []) if literal else self.unfiled
                filed.append((rule_id, pattern))
        self.memory: dict[tuple, tuple[int, ...]] = {}

    def _rules_for(self, tag: str, lower: str, dep: str, is_space: bool) -> tuple[int, ...]:
        values = {"TAG": tag, "LOWER": lower, "DEP": dep, "IS_SPACE": is_space}
        candidates = [*self.unfiled]
        for attribute, value in values.items():
            candidates += self.by_value.get((attribute, value), ())
        matching = {rule_id for rule_id, p in candidates if all(_value_matches(w, values[k]) for k, w in p.items())}
        return tuple(sorted(matching))

    def __call__(self, doc):
        """Set the ruler's attributes on `doc` (POS, MORPH, LEMMA, TAG, DEP as its rules say); returns it."""
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
        from spacy.tokens._retokenize import set_token_attrs

        if len(self.memory) > MAX_REMEMBERED:
            self.memory.clear()
        strings = doc.vocab.strings
        matches = []
        rows = doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist()
        for i, (tag, lower, dep, is_space) in enumerate(rows):
            key = (tag, lower, dep, is_space)
            rules = self.memory.get(key)
            if rules is None:
                rules = self._rules_for(strings[tag], strings[lower], strings[dep], bool(is_space))
                self.memory[key] = rules
            matches.extend((rule_id, i, i + 1) for rule_id in rules)
        matches.extend((int(strings[m]), s, e) for m, s, e in self.multi(doc, allow_missing=True))
        matches.sort()  # by rule, so later rules win, as AttributeRuler.match orders them
        for rule_id, start, end in matches:
            index = self.indices[rule_id]
            position = start + index if index >= 0 else end + index
            if not start <= position < end:
                raise ValueError(f"attribute rule {rule_id} points outside its match")
            set_token_attrs(doc[position], self.attrs[rule_id])
        return doc


class FastLemmatizer:
    """The rule lemmatizer of a loaded pipeline, with each lemma remembered per (form, POS, morphology).

    Takes the stock `Lemmatizer`; called on a Doc, fills the same lemmas it would fill.
    """

    def __init__(self, lemmatizer) -> None:
        self.lemmatizer = lemmatizer
        self.memory: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc):
        """Fill each token's lemma where none is set yet (or everywhere if the lemmatizer overwrites); returns `doc`."""
        import numpy
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        if len(self.memory) > MAX_REMEMBERED:
            self.memory.clear()
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


def forget(nlp) -> None:
    """Empty the memories of the stand-ins in a loaded pipeline, as in a fresh process (for fair benchmarks)."""
    for _, component in nlp.pipeline:
        if isinstance(component, (FastAttributeRuler, FastLemmatizer)):
            component.memory.clear()


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
        nlp.add_pipe(factory, name=f"fast-{name}", before=name)  # the factory reads the stock one by name
        nlp.remove_pipe(name)
        nlp.rename_pipe(f"fast-{name}", name)
