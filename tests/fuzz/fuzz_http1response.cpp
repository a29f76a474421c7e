// SPDX-License-Identifier: Apache-2.0
// Responses come from any server a user points Vigil at: the HTTP/1.1 response parser.
#include "fuzzinput.h"

#include "net/http1parser.h"

namespace {
struct Parsed {
    vigil::net::Http1ResponseParser::State state;
    int status;
    QByteArray body;
    qsizetype consumed;
};

Parsed parse(const QByteArray &wire, qsizetype step) {
    vigil::net::Http1ResponseParser p;
    Parsed out{};
    qsizetype at = 0;
    while (at < wire.size() && !p.done() && !p.failed()) {
        const QByteArrayView piece =
            QByteArrayView(wire).sliced(at, std::min(step, wire.size() - at));
        const qsizetype n = p.feed(piece);
        if (n < 0 || n > piece.size())
            __builtin_trap(); // never takes more than it was given
        out.body += p.takeBody();
        at += n;
        if (n < piece.size() && !p.done() && !p.failed())
            __builtin_trap(); // stops early only when the response is over
        if (n < piece.size())
            break;
    }
    if (p.done() && p.failed())
        __builtin_trap();
    if (!p.done() && !p.failed())
        p.endOfStream();
    out.body += p.takeBody();
    out.state = p.state();
    out.status = p.status();
    out.consumed = at;
    if (p.done() && (p.status() < 200 || p.status() > 999))
        __builtin_trap(); // a finished response has a final status
    return out;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const QByteArray wire = vigil::fuzz::bytes(data, size).toByteArray();
    const Parsed whole = parse(wire, wire.size() + 1);
    if (whole.body.size() > wire.size())
        __builtin_trap(); // the body is made of the input's bytes
    // However the stream is split into reads, the outcome is the same.
    for (const qsizetype step : {qsizetype(1), qsizetype(7)}) {
        const Parsed split = parse(wire, step);
        if (split.state != whole.state || split.status != whole.status || split.body != whole.body)
            __builtin_trap();
        // After a failure the rest of the stream is garbage; only a good response has a length.
        if (whole.state == vigil::net::Http1ResponseParser::State::Done &&
            split.consumed != whole.consumed)
            __builtin_trap();
    }
    return 0;
}
