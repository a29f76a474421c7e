// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>

namespace vigil::test {

/// A self-signed certificate for 127.0.0.1, valid until 2126, made for the tests only.
inline constexpr const char *kTlsCert =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBkDCCATagAwIBAgIUKK6slW/BMoFsbDMFWvO71sDZaawwCgYIKoZIzj0EAwIw\n"
    "FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEzMDE1NDYxNVoYDzIxMjYxMTA2\n"
    "MTU0NjE1WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO\n"
    "PQMBBwNCAARizVqftGtJeRbxKEO67V1cE5Vn+pN0ow85rtEK4avDpYZhoodbYQ1G\n"
    "jX5dtpZMA9gHW+pASEoGz5lsG3AZsgKAo2QwYjAdBgNVHQ4EFgQUwScO7shT4u3z\n"
    "k81UEourCtPkXXcwHwYDVR0jBBgwFoAUwScO7shT4u3zk81UEourCtPkXXcwDwYD\n"
    "VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0gAMEUC\n"
    "IQDh0nmFHJuYH5ZXu671fLDAkw2w8ltHTMCnQboS9CJp4gIgFf9kk62rK3JpKcyE\n"
    "nI5jRnySWThIXAMGuAdnh0AD+g4=\n"
    "-----END CERTIFICATE-----\n";
inline constexpr const char *kTlsKey =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgZCyIxPLOqfayed1y\n"
    "y7jbIOW9GPrxsrwsaufWtJxZYzShRANCAARizVqftGtJeRbxKEO67V1cE5Vn+pN0\n"
    "ow85rtEK4avDpYZhoodbYQ1GjX5dtpZMA9gHW+pASEoGz5lsG3AZsgKA\n"
    "-----END PRIVATE KEY-----\n";

/// The certificate every TLS HostileServer presents.
inline QSslCertificate loopbackCertificate() {
    return QSslCertificate(QByteArray(kTlsCert));
}

/// What a server presents: loopbackCertificate() and its key, peers not asked for certificates.
inline QSslConfiguration loopbackServerTls() {
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificate(loopbackCertificate());
    config.setPrivateKey(QSslKey(QByteArray(kTlsKey), QSsl::Ec));
    config.setPeerVerifyMode(QSslSocket::VerifyNone);
    return config;
}

/// A client configuration that trusts loopbackCertificate() beside the system's CAs, as
/// HttpClient::setTlsConfiguration() takes it. Peers are still verified.
inline QSslConfiguration trustingLoopback() {
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.addCaCertificate(loopbackCertificate());
    return config;
}

} // namespace vigil::test
