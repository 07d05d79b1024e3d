#!/usr/bin/env python3
"""Random TOML documents and what Python's tomllib makes of them, for the differential test of
NeuroFabric's TOML parser (Tests/ModelTests/TOMLDifferentialTests.swift).

Usage: toml_corpus.py --seed S --count N
Prints one JSON object per line: {"text": document, "value": typed value or null, "error": message or null}.
Typed values: {"t": "table", "v": {key: value}}, {"t": "array", "v": [...]}, {"t": "string", "v": "..."},
{"t": "integer", "v": "decimal"}, {"t": "float", "v": float.hex() or "nan"}, {"t": "boolean", "v": true}.
Documents stay within what NeuroFabric reads: no dates or times, integers within 64 bits. About a
third are mutated towards invalid TOML (tomllib decides which are).
"""
import argparse
import json
import math
import random
import tomllib

BARE = "abcdefghijklmnopqrstuvwxyz_-0123456789"


def key(rng):
    if rng.random() < 0.15:
        return json.dumps(rng.choice(["a b", "ä", "x.y", "", "q\"", "tab\t"]), ensure_ascii=rng.random() < 0.5)
    return "".join(rng.choice(BARE) for _ in range(rng.randint(1, 6)))


def string(rng):
    content = "".join(rng.choice(["a", "Z", " ", "é", "😀", "\\n", "\\t", "\\\"", "\\\\", "\\u00e9", "\\U0001F600", "#", "="])
                      for _ in range(rng.randint(0, 8)))
    style = rng.choice(["basic", "basic", "literal", "multiline", "multiliteral"])
    if style == "basic":
        return '"' + content + '"'
    plain = content.replace("\\", "")
    if style == "literal":
        return "'" + plain.replace("'", "") + "'"
    if style == "multiline":
        return '"""' + rng.choice(["", "\n"]) + content + rng.choice(["", "\\\n  more"]) + '"""'
    return "'''" + rng.choice(["", "\n"]) + plain + "'''"


def integer(rng):
    n = rng.choice([0, 1, -1, 7, 42, 1_000_000, 2**31, 2**63 - 1, -(2**63), rng.randint(-10**12, 10**12)])
    form = rng.choice(["dec", "dec", "under", "hex", "oct", "bin", "plus"])
    if n >= 0 and form == "hex":
        return hex(n).replace("0x", "0x")
    if n >= 0 and form == "oct":
        return "0o" + format(n, "o")
    if n >= 0 and form == "bin":
        return "0b" + format(n, "b")
    if form == "under" and abs(n) >= 1000:
        return f"{n:_}"
    if form == "plus" and n >= 0:
        return "+" + str(n)
    return str(n)


def floating(rng):
    return rng.choice(["0.0", "-0.0", "+1.5", "3.14159", "1e10", "1E-7", "6.02e+23", "1_000.5", "5e-324", "1.7976931348623157e308",
                       "inf", "-inf", "+inf", "nan", "-nan", "2.5e-3", str(rng.uniform(-1e6, 1e6))])


def value(rng, depth=0):
    kind = rng.choice(["string", "integer", "float", "boolean", "array", "inline"] if depth < 3 else ["string", "integer", "float", "boolean"])
    if kind == "string":
        return string(rng)
    if kind == "integer":
        return integer(rng)
    if kind == "float":
        return floating(rng)
    if kind == "boolean":
        return rng.choice(["true", "false"])
    if kind == "array":
        items = [value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
        sep = rng.choice([", ", ",", ",\n  "])
        return "[" + sep.join(items) + rng.choice(["", ","]) * bool(items) + "]"
    pairs = [f"{key(rng)} = {value(rng, depth + 1)}" for _ in range(rng.randint(0, 3))]
    return "{ " + ", ".join(pairs) + " }"


def document(rng):
    lines = [f"{key(rng)} = {value(rng)}" for _ in range(rng.randint(0, 3))]
    for _ in range(rng.randint(0, 3)):
        header = ".".join(key(rng) for _ in range(rng.randint(1, 2)))
        lines.append(rng.choice([f"[{header}]", f"[[{header}]]", f"[ {header} ]"]) + rng.choice(["", "  # comment"]))
        for _ in range(rng.randint(0, 3)):
            dotted = ".".join(key(rng) for _ in range(rng.randint(1, 2)))
            lines.append(f"{dotted} = {value(rng)}" + rng.choice(["", " # c"]))
    return "\n".join(lines) + rng.choice(["", "\n"])


def mutate(text, rng):
    if not text:
        return "="
    i = rng.randrange(len(text))
    return rng.choice([
        lambda: text[:i] + rng.choice(["=", "[", "]", "\"", "'", ",", "\\", "{", "}", "\n", "#", ".", "\x00", "\x7f"]) + text[i:],
        lambda: text[:i] + text[i + 1:],
        lambda: text + "\n" + text,                  # every key twice
        lambda: text[:i],
        lambda: text.replace("=", "==", 1),
        lambda: text.replace("0x", "0X", 1).replace("true", "True", 1),
        lambda: text.replace("1", "01", 1),
    ])()


def typed(v):
    if isinstance(v, bool):
        return {"t": "boolean", "v": v}
    if isinstance(v, int):
        return {"t": "integer", "v": str(v)}
    if isinstance(v, float):
        return {"t": "float", "v": "nan" if math.isnan(v) else v.hex()}
    if isinstance(v, str):
        return {"t": "string", "v": v}
    if isinstance(v, list):
        return {"t": "array", "v": [typed(x) for x in v]}
    if isinstance(v, dict):
        return {"t": "table", "v": {k: typed(x) for k, x in v.items()}}
    raise TypeError(type(v))


def within_reach(v):
    """Integers NeuroFabric holds (64 bits); tomllib takes any size."""
    if isinstance(v, bool):
        return True
    if isinstance(v, int):
        return -(2**63) <= v < 2**63
    if isinstance(v, list):
        return all(within_reach(x) for x in v)
    if isinstance(v, dict):
        return all(within_reach(x) for x in v.values())
    return True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=300)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    emitted = 0
    while emitted < args.count:
        text = document(rng)
        if rng.random() < 0.35:
            text = mutate(text, rng)
        try:
            parsed = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            print(json.dumps({"text": text, "value": None, "error": str(error)}))
            emitted += 1
            continue
        if not within_reach(parsed):
            continue
        print(json.dumps({"text": text, "value": typed(parsed), "error": None}))
        emitted += 1


if __name__ == "__main__":
    main()
