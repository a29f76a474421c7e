// SPDX-License-Identifier: Apache-2.0
#include "sensor.h"

namespace vigil::sensors {

QString readingErrorName(ReadingError error) {
    switch (error) {
    case ReadingError::None:
        return QStringLiteral("ok");
    case ReadingError::Timeout:
        return QStringLiteral("timeout");
    case ReadingError::Unavailable:
        return QStringLiteral("unavailable");
    case ReadingError::BadData:
        return QStringLiteral("bad data");
    }
    return {};
}

} // namespace vigil::sensors
