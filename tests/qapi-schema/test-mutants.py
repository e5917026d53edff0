#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Bad input never crashes the generator: feed it a few hundred random
edits of qapi-schema-test.json (fixed seed, so failures reproduce) and
require each to end either in generated files or in a QAPIError, never
in another exception.  A failing mutant is kept and its path printed."""

import os
import random
import shutil
import sys
import tempfile
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', 'scripts'))

# pylint: disable=wrong-import-position
from qapi.main import generate  # noqa: E402
from qapi.source import QAPIError  # noqa: E402

TOKENS = ["'", '{', '}', '[', ']', ':', ',', 'true', 'false', "'int'",
          "'Foo'", "'*x'", "'data'", "'base'", "'if'", '{}', '[]', '\\',
          '#', '\n', '##\n', "'UserDefOne'", "'EnumOne'", "'boxed'",
          "'features'", "'deprecated'", "'type'", "['int']", "'any'",
          "'null'", "'discriminator'", "'kind'"]


def mutate(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 4)):
        pos = rng.randrange(len(chars))
        roll = rng.random()
        if roll < 0.4:
            del chars[pos:pos + rng.randint(1, 8)]
        elif roll < 0.8:
            chars.insert(pos, rng.choice(TOKENS))
        else:
            other = rng.randrange(len(chars))
            chars[pos], chars[other] = chars[other], chars[pos]
    return ''.join(chars)


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    rng = random.Random(20221214)
    with open(os.path.join(HERE, 'qapi-schema-test.json'),
              encoding='utf-8') as f:
        source = f.read()
    accepted = rejected = 0
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(os.path.join(HERE, 'include'),
                        os.path.join(tmp, 'include'))
        schema = os.path.join(tmp, 'mutant.json')
        for _ in range(count):
            text = mutate(rng, source)
            with open(schema, 'w', encoding='utf-8') as f:
                f.write(text)
            try:
                generate(schema, os.path.join(tmp, 'out'), '', True)
                accepted += 1
            except QAPIError:
                rejected += 1
            except Exception:  # pylint: disable=broad-except
                traceback.print_exc()
                fd, kept = tempfile.mkstemp(prefix='qapi-mutant-',
                                            suffix='.json')
                os.close(fd)
                shutil.copy(schema, kept)
                print('failing mutant kept in %s' % kept)
                return 1
    print('%d mutants: %d generated, %d rejected with a message'
          % (count, accepted, rejected))
    return 0


if __name__ == '__main__':
    sys.exit(main())
