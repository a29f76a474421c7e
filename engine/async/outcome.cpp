// SPDX-License-Identifier: Apache-2.0
#include "outcome.h"

namespace vigil::async {

QString describeError(const std::exception_ptr &error) {
    if (!error)
        return {};
    try {
        std::rethrow_exception(error);
    } catch (const std::exception &e) {
        return QString::fromUtf8(e.what());
    } catch (...) {
        return QStringLiteral("unknown error");
    }
}

} // namespace vigil::async
