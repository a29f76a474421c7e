// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "httptypes.h"

#include <QCoroTask>

#include <stop_token>

namespace vigil::net {

/// @brief What sends one HTTP request: HttpClient on the network, or a simulated server that
/// runs on a VirtualClock (tests of politeness over minutes of virtual time).
class Transport {
public:
    Transport() = default;
    Transport(const Transport &) = delete;
    Transport &operator=(const Transport &) = delete;
    virtual ~Transport() = default;

    /// Runs @p request. Never throws: every failure, cancellation included, is in the response.
    [[nodiscard]] virtual QCoro::Task<HttpResponse> send(HttpRequest request,
                                                         std::stop_token token = {}) = 0;
};

} // namespace vigil::net
