// SPDX-License-Identifier: Apache-2.0
// Lines from a serial port, a TCP peer or a UDP datagram: bytes nobody checked. The first byte
// picks the format and whether the CSV columns are fixed; the rest is fed line by line.
#include "fuzzinput.h"

#include "lines/linespec.h"

#include <cmath>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0)
        return 0;
    using namespace vigil::lines;
    LineSpec spec;
    spec.format = LineFormat(data[0] % 3);
    spec.timestamp = spec.format == LineFormat::Json ? QStringLiteral("/ts") : QStringLiteral("ts");
    if (spec.format == LineFormat::Csv && (data[0] & 4))
        spec.columns = {QStringLiteral("-"), QStringLiteral("ts"), QStringLiteral("a"),
                        QStringLiteral("b")};
    if (spec.format == LineFormat::Json)
        spec.fields = {{QStringLiteral("a"), QStringLiteral("/a")},
                       {QStringLiteral("b"), QStringLiteral("/s/b")}};
    LineParser parser(spec);
    const QByteArrayView input = vigil::fuzz::bytes(data + 1, size - 1);
    qsizetype start = 0;
    while (start <= input.size()) {
        qsizetype nl = input.indexOf('\n', start);
        if (nl < 0)
            nl = input.size();
        const ParsedLine line = parser.parse(input.sliced(start, nl - start));
        for (const auto &[name, value] : line.values) {
            // Every value is a finite number under a name; a header gives none.
            if (!std::isfinite(value) || name.isEmpty() || line.header)
                __builtin_trap();
        }
        start = nl + 1;
    }
    return 0;
}
