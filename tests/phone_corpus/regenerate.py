#!/usr/bin/env python3
"""Writes tests/phone_corpus/expected.tsv: libphonenumber's answers for the phone corpus.

Needs Python `phonenumbers==9.0.33` (the metadata release the `phonenumber` crate embeds):

    pip install phonenumbers==9.0.33
    python3 tests/phone_corpus/regenerate.py

The inputs come from the Rust generator (tests/phone_corpus/mod.rs), which an ignored test
writes out; `cargo test` itself never needs Python.

One line per input, in corpus order, after a `# digest ...` header:
    +CC NSN[xEXT] <TAB> valid (1/0) <TAB> region or - <TAB> number type
    !ERROR_NAME   (libphonenumber refused the input)
"""
import json
import os
import subprocess
import sys
import tempfile

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

TYPE_NAMES = {
    PhoneNumberType.FIXED_LINE: "fixedLine",
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixedLineOrMobile",
    PhoneNumberType.TOLL_FREE: "tollFree",
    PhoneNumberType.PREMIUM_RATE: "premiumRate",
    PhoneNumberType.SHARED_COST: "sharedCost",
    PhoneNumberType.VOIP: "voip",
    PhoneNumberType.PERSONAL_NUMBER: "personalNumber",
    PhoneNumberType.PAGER: "pager",
    PhoneNumberType.UAN: "uan",
    PhoneNumberType.VOICEMAIL: "voicemail",
    PhoneNumberType.UNKNOWN: "unknown",
}

ERROR_NAMES = {
    NumberParseException.INVALID_COUNTRY_CODE: "INVALID_COUNTRY_CODE",
    NumberParseException.NOT_A_NUMBER: "NOT_A_NUMBER",
    NumberParseException.TOO_SHORT_AFTER_IDD: "TOO_SHORT_AFTER_IDD",
    NumberParseException.TOO_SHORT_NSN: "TOO_SHORT_NSN",
    NumberParseException.TOO_LONG: "TOO_LONG",
}


def answer(text, region):
    try:
        n = phonenumbers.parse(text, region)
    except NumberParseException as e:
        return "!" + ERROR_NAMES.get(e.error_type, str(e.error_type))
    canonical = "+%d %s" % (n.country_code, phonenumbers.national_significant_number(n))
    if n.extension:
        canonical += "x" + n.extension
    region_code = phonenumbers.region_code_for_number(n) or "-"
    valid = "1" if phonenumbers.is_valid_number(n) else "0"
    return "\t".join([canonical, valid, region_code, TYPE_NAMES[phonenumbers.number_type(n)]])


def main():
    if phonenumbers.__version__ != "9.0.33":
        sys.exit("need phonenumbers 9.0.33, found %s" % phonenumbers.__version__)
    with tempfile.TemporaryDirectory() as tmp:
        inputs = os.path.join(tmp, "inputs.jsonl")
        env = dict(os.environ, PHONE_CORPUS_INPUTS=inputs)
        subprocess.run(
            ["cargo", "test", "-j", "1", "--test", "phone_agreement", "--",
             "--ignored", "--exact", "write_corpus_inputs"],
            cwd=REPO, env=env, check=True)
        with open(inputs, encoding="utf-8") as f:
            header = json.loads(f.readline())
            rows = [json.loads(line) for line in f]
    lines = ["# digest %s size %d phonenumbers %s" % (header["digest"], len(rows),
                                                      phonenumbers.__version__)]
    lines += [answer(text, region) for text, region in rows]
    with open(os.path.join(HERE, "expected.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
    print("wrote %d answers" % len(rows))


if __name__ == "__main__":
    main()
