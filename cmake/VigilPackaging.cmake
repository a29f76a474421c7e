# SPDX-License-Identifier: Apache-2.0
# What the .deb installs beside the binary, and CPack's settings. `cpack -G DEB` in the build
# folder makes a package that lintian passes (packaging/check-package.sh runs it).

set(VIGIL_MAINTAINER "Vigil developers <vigil@vigil.dev>")
# The release date in packaging/dev.vigil.Vigil.metainfo.xml, so the Debian changelog agrees.
set(VIGIL_RELEASE_DATE_RFC2822 "Sat, 21 Nov 2026 00:00:00 +0000")
set(_pkg ${PROJECT_BINARY_DIR}/packaging)
set(_doc ${CMAKE_INSTALL_DATADIR}/doc/vigil)

# Debian wants man pages and changelogs gzipped with -9 and no timestamp (-n): reproducible.
configure_file(packaging/changelog.in ${_pkg}/changelog @ONLY)
add_custom_command(OUTPUT ${_pkg}/changelog.gz ${_pkg}/vigil.1.gz
    COMMAND gzip -9nc ${_pkg}/changelog > ${_pkg}/changelog.gz
    COMMAND gzip -9nc ${PROJECT_SOURCE_DIR}/docs/man/vigil.1 > ${_pkg}/vigil.1.gz
    DEPENDS ${_pkg}/changelog ${PROJECT_SOURCE_DIR}/docs/man/vigil.1
    VERBATIM)
add_custom_target(vigil_package_docs ALL DEPENDS ${_pkg}/changelog.gz ${_pkg}/vigil.1.gz)

install(FILES packaging/dev.vigil.Vigil.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES packaging/dev.vigil.Vigil.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
# The window icon and the desktop icon are one file.
install(FILES resources/icons/vigil.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps RENAME dev.vigil.Vigil.svg)
install(FILES ${_pkg}/vigil.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES packaging/vigil.bash-completion
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME vigil)
# Accepted lintian tags, each with its reason (check-package.sh insists); none so far.
if(EXISTS ${PROJECT_SOURCE_DIR}/packaging/vigil.lintian-overrides)
    install(FILES packaging/vigil.lintian-overrides
            DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides RENAME vigil)
endif()
install(FILES packaging/copyright ${_pkg}/changelog.gz DESTINATION ${_doc})

set(CPACK_PACKAGE_NAME vigil)
set(CPACK_PACKAGE_VENDOR "Vigil developers")
set(CPACK_PACKAGE_CONTACT "${VIGIL_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
# The synopsis line comes from CPACK_PACKAGE_DESCRIPTION_SUMMARY; this is the extended text.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "Vigil watches live sensors, runs batches of HTTP requests and downloads files,
all on Qt's event loop with coroutines, so the interface never freezes.
.
The dashboard charts simulated process sensors, this machine's CPU, memory,
network and temperature sensors, and HTTP JSON endpoints, with alarms and
recording. vigil fetch runs batches with bounded concurrency, per-host rate
limits and retries that honour Retry-After, resumable from a journal.
vigil download streams files to disk, resumes them after an interruption,
verifies them with SHA-256 and renames them into place only when complete.
A built-in demo API (vigil serve-demo) makes every feature work offline.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
# The release build carries debug info (-O2 -g) for profiling; the package ships it stripped.
set(CPACK_STRIP_FILES ON)
# Shared libraries are found by dpkg-shlibdeps; plugins are loaded at run time, so they are named.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "qt6-qpa-plugins, libqt6svg6")
include(CPack)
