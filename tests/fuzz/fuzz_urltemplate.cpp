// SPDX-License-Identifier: Apache-2.0
// First line: a URL template; the rest: an item. Both are typed by users.
#include "fuzzinput.h"

#include "fetch/batchspec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const auto [urlTemplate, item] = vigil::fuzz::twoParts(data, size);
    (void)vigil::fetch::templateProblem(urlTemplate);
    if (const auto url = vigil::fetch::expandTemplate(urlTemplate, item)) {
        const QString scheme = url->scheme();
        if (scheme != QLatin1String("http") && scheme != QLatin1String("https"))
            __builtin_trap(); // expansion never yields anything but http(s)
    }
    (void)vigil::fetch::parseItemList(item);
    QString error;
    (void)vigil::fetch::parseFieldSpec(item, &error);
    return 0;
}
