// SPDX-License-Identifier: Apache-2.0
#include "net/headercheck.h"
#include "net/httptypes.h"

#include <QTest>

using namespace vigil::net;

/// retryable() and originKey(): the one answer every retry loop and rate limiter asks.
class TestHttpTypes : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void retryableIsTheOneList_data() {
        QTest::addColumn<HttpErrorKind>("kind");
        QTest::addColumn<int>("status");
        QTest::addColumn<bool>("expected");
        QTest::newRow("ok") << HttpErrorKind::None << 200 << false;
        QTest::newRow("timeout") << HttpErrorKind::Timeout << 0 << true;
        QTest::newRow("network error") << HttpErrorKind::Network << 0 << true;
        QTest::newRow("connection refused") << HttpErrorKind::ConnectionRefused << 0 << false;
        QTest::newRow("host not found") << HttpErrorKind::HostNotFound << 0 << false;
        QTest::newRow("TLS") << HttpErrorKind::Tls << 0 << false;
        QTest::newRow("cancelled") << HttpErrorKind::Cancelled << 0 << false;
        QTest::newRow("too large") << HttpErrorKind::TooLarge << 200 << false;
        QTest::newRow("bad content") << HttpErrorKind::BadContent << 200 << false;
        QTest::newRow("400") << HttpErrorKind::HttpStatus << 400 << false;
        QTest::newRow("404") << HttpErrorKind::HttpStatus << 404 << false;
        QTest::newRow("429") << HttpErrorKind::HttpStatus << 429 << true;
        QTest::newRow("500") << HttpErrorKind::HttpStatus << 500 << true;
        QTest::newRow("501 not implemented") << HttpErrorKind::HttpStatus << 501 << false;
        QTest::newRow("502") << HttpErrorKind::HttpStatus << 502 << true;
        QTest::newRow("503") << HttpErrorKind::HttpStatus << 503 << true;
        QTest::newRow("504") << HttpErrorKind::HttpStatus << 504 << true;
        QTest::newRow("505 version not supported") << HttpErrorKind::HttpStatus << 505 << false;
        QTest::newRow("511") << HttpErrorKind::HttpStatus << 511 << false;
    }

    void retryableIsTheOneList() {
        QFETCH(HttpErrorKind, kind);
        QFETCH(int, status);
        QFETCH(bool, expected);
        HttpResponse r;
        r.error = kind;
        r.status = status;
        QCOMPARE(retryable(r), expected);
    }

    void originKeyFillsTheDefaultPort_data() {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("expected");
        QTest::newRow("http, no port")
            << QStringLiteral("http://example.com/a") << QStringLiteral("http://example.com:80");
        QTest::newRow("https, no port") << QStringLiteral("https://example.com/a?b=c")
                                        << QStringLiteral("https://example.com:443");
        QTest::newRow("explicit port")
            << QStringLiteral("http://127.0.0.1:8080/x") << QStringLiteral("http://127.0.0.1:8080");
        QTest::newRow("explicit default port") << QStringLiteral("https://example.com:443/")
                                               << QStringLiteral("https://example.com:443");
        QTest::newRow("host case folded")
            << QStringLiteral("http://Example.COM/") << QStringLiteral("http://example.com:80");
        QTest::newRow("user info and fragment ignored")
            << QStringLiteral("http://user:secret@example.com/p#frag")
            << QStringLiteral("http://example.com:80");
        QTest::newRow("IPv6 literal")
            << QStringLiteral("http://[::1]:9000/") << QStringLiteral("http://[::1]:9000");
        QTest::newRow("unknown scheme keeps no port")
            << QStringLiteral("ftp://example.com/") << QStringLiteral("ftp://example.com:-1");
    }

    void originKeyFillsTheDefaultPort() {
        QFETCH(QString, url);
        QFETCH(QString, expected);
        QCOMPARE(originKey(QUrl(url)), expected);
    }

    void originsDiffer_data() {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<bool>("same");
        QTest::newRow("path differs")
            << QStringLiteral("http://h/a") << QStringLiteral("http://h/b") << true;
        QTest::newRow("implicit and explicit 443")
            << QStringLiteral("https://h/") << QStringLiteral("https://h:443/") << true;
        QTest::newRow("port differs")
            << QStringLiteral("http://h:1/") << QStringLiteral("http://h:2/") << false;
        QTest::newRow("scheme differs")
            << QStringLiteral("http://h/") << QStringLiteral("https://h/") << false;
        QTest::newRow("http on 443 is not https")
            << QStringLiteral("http://h:443/") << QStringLiteral("https://h/") << false;
        QTest::newRow("host differs")
            << QStringLiteral("http://a/") << QStringLiteral("http://b/") << false;
    }

    void originsDiffer() {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(bool, same);
        QCOMPARE(originKey(QUrl(a)) == originKey(QUrl(b)), same);
    }

    void httpUrls_data() {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("expected");
        QTest::newRow("http") << QStringLiteral("http://h/x") << true;
        QTest::newRow("https") << QStringLiteral("https://h") << true;
        QTest::newRow("upper-case scheme") << QStringLiteral("HTTP://h/x") << true;
        QTest::newRow("ftp") << QStringLiteral("ftp://h/x") << false;
        QTest::newRow("file") << QStringLiteral("file:///etc/passwd") << false;
        QTest::newRow("no host") << QStringLiteral("http:///x") << false;
        QTest::newRow("not a URL") << QStringLiteral("hello") << false;
    }

    void httpUrls() {
        QFETCH(QString, url);
        QFETCH(bool, expected);
        QCOMPARE(isHttpUrl(QUrl(url, QUrl::StrictMode)), expected);
    }

    void secretHeadersByNameOrMark_data() {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QByteArrayList>("marked");
        QTest::addColumn<bool>("secret");
        QTest::newRow("authorization") << QByteArray("AUTHORIZATION") << QByteArrayList{} << true;
        QTest::newRow("proxy") << QByteArray("Proxy-Authorization") << QByteArrayList{} << true;
        QTest::newRow("cookie") << QByteArray("cookie") << QByteArrayList{} << true;
        QTest::newRow("api key") << QByteArray("X-Api-Key") << QByteArrayList{} << true;
        QTest::newRow("token") << QByteArray("X-Auth-Token") << QByteArrayList{} << true;
        QTest::newRow("secret") << QByteArray("Client-Secret") << QByteArrayList{} << true;
        QTest::newRow("marked") << QByteArray("x-tenant") << QByteArrayList{"X-Tenant"} << true;
        QTest::newRow("accept") << QByteArray("Accept") << QByteArrayList{"X-Tenant"} << false;
        QTest::newRow("x-auth") << QByteArray("X-Auth") << QByteArrayList{} << true;
        QTest::newRow("password") << QByteArray("X-Password") << QByteArrayList{} << true;
        QTest::newRow("signature") << QByteArray("X-Signature") << QByteArrayList{} << true;
        QTest::newRow("content-type") << QByteArray("Content-Type") << QByteArrayList{} << false;
    }
    void secretHeadersByNameOrMark() {
        QFETCH(QByteArray, name);
        QFETCH(QByteArrayList, marked);
        QFETCH(bool, secret);
        QCOMPARE(isSecretHeader(name, marked), secret);
    }
};

QTEST_GUILESS_MAIN(TestHttpTypes)
#include "tst_httptypes.moc"
