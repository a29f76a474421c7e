#include "demoscenarios.h"

#include "batchfetchview.h"
#include "batchform.h"
#include "mainwindow.h"

#include "demo/demodata.h"

#include <QPlainTextEdit>
#include <QSpinBox>
#include <QTabWidget>

namespace vigil::widgets {

QStringList demoScenarioNames()
{
    return {QStringLiteral("batch-fetch")};
}

bool startDemoScenario(MainWindow &window, const QString &name)
{
    if (name == QLatin1String("batch-fetch")) {
        auto *view = window.batchFetch();
        auto *tabs = qobject_cast<QTabWidget *>(window.centralWidget());
        tabs->setCurrentWidget(view);
        view->form()->applyPreset(BatchForm::DemoCompounds);
        QStringList items;
        for (int round = 0; round < 10; ++round)
            items += demo::compoundNames();
        items << QStringLiteral("unobtainium"); // one honest 404 among them
        view->form()->itemsEdit()->setPlainText(items.join(u'\n'));
        view->form()->concurrencyBox()->setValue(8);
        view->start();
        return true;
    }
    return false;
}

} // namespace vigil::widgets
