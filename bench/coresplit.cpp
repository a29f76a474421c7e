// SPDX-License-Identifier: Apache-2.0
#include "coresplit.h"

#include <QStringList>

#ifdef Q_OS_LINUX
#include <sched.h>
#endif

namespace vigil::bench {

CoreSplit splitCores(qint64 serverPid) {
    CoreSplit split;
#ifdef Q_OS_LINUX
    cpu_set_t allowed;
    CPU_ZERO(&allowed);
    if (sched_getaffinity(0, sizeof allowed, &allowed) != 0 || CPU_COUNT(&allowed) < 2) {
        split.description = QStringLiteral("shared");
        return split;
    }
    cpu_set_t server;
    cpu_set_t client = allowed;
    CPU_ZERO(&server);
    int serverCpu = -1;
    for (int cpu = 0; cpu < CPU_SETSIZE && serverCpu < 0; ++cpu) {
        if (CPU_ISSET(cpu, &allowed))
            serverCpu = cpu;
    }
    CPU_SET(serverCpu, &server);
    CPU_CLR(serverCpu, &client);
    if (sched_setaffinity(pid_t(serverPid), sizeof server, &server) != 0 ||
        sched_setaffinity(0, sizeof client, &client) != 0) {
        split.description = QStringLiteral("shared");
        return split;
    }
    QStringList clientCpus;
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
        if (CPU_ISSET(cpu, &client))
            clientCpus << QString::number(cpu);
    }
    split.applied = true;
    split.description =
        QStringLiteral("server:%1,client:%2").arg(serverCpu).arg(clientCpus.join(u'+'));
#else
    Q_UNUSED(serverPid);
    split.description = QStringLiteral("shared");
#endif
    return split;
}

} // namespace vigil::bench
