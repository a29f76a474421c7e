// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "batchspec.h"

#include "util/safefile.h"

namespace vigil::fetch {

/// The item as results, journals, exports and resumes name it: the item itself, or, when the
/// template is `{item}` alone and each item is a whole URL, that URL with its secrets redacted
/// (user-info, secret-looking query parameters), as every URL Vigil writes down. The raw item is
/// only ever sent.
[[nodiscard]] inline QString itemLabel(const BatchSpec &spec, const QString &item) {
    return spec.urlTemplate.trimmed() == QLatin1String("{item}") ? util::redactedUrlText(item)
                                                                 : item;
}

} // namespace vigil::fetch
