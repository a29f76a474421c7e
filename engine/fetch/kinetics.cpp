// SPDX-License-Identifier: Apache-2.0
#include "kinetics.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace vigil::fetch {

double integrateFirstOrderDecay(double k, double c0, double tEnd, int steps) {
    const double h = tEnd / steps;
    const auto f = [k](double c) { return -k * c; };
    double c = c0;
    for (int i = 0; i < steps; ++i) {
        const double k1 = f(c);
        const double k2 = f(c + 0.5 * h * k1);
        const double k3 = f(c + 0.5 * h * k2);
        const double k4 = f(c + h * k3);
        c += h / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4);
    }
    return c;
}

KineticsResult kineticsFromResponse(const QByteArray &body) {
    KineticsResult out;
    const QJsonValue k = QJsonDocument::fromJson(body).object().value(QStringLiteral("k"));
    if (!k.isDouble() || !std::isfinite(k.toDouble()) || k.toDouble() < 0) {
        out.error = QStringLiteral("the response has no non-negative number \"k\"");
        return out;
    }
    out.k = k.toDouble();
    out.cFinal = integrateFirstOrderDecay(out.k);
    return out;
}

} // namespace vigil::fetch
