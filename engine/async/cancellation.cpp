// SPDX-License-Identifier: Apache-2.0
#include "cancellation.h"

namespace vigil::async {

LinkedStopSource::LinkedStopSource(const std::stop_token &parent) {
    if (parent.stop_possible())
        m_link.emplace(parent, Forward{m_source});
}

} // namespace vigil::async
