// SPDX-License-Identifier: Apache-2.0
// Journals are read back on resume, after crashes that can cut them anywhere.
#include "fuzzinput.h"

#include "fetch/journal.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    using namespace vigil::fetch;
    const JournalContents contents = parseJournal(vigil::fuzz::bytes(data, size));
    BatchSpec spec;
    spec.urlTemplate = QStringLiteral("http://127.0.0.1/{item}");
    (void)journalMismatch(contents, spec);
    for (const auto &r : contents.results) {
        const auto again = ItemResult::fromJson(r.toJson());
        if (!again || again->item != r.item || again->status != r.status)
            __builtin_trap(); // what was read back writes and reads the same
    }
    return 0;
}
