# Every Vigil target links vigil_options: the warnings and the strict Qt defines live here,
# never in CMAKE_CXX_FLAGS.
add_library(vigil_options INTERFACE)

target_compile_definitions(vigil_options INTERFACE
    QT_NO_KEYWORDS
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_USE_QSTRINGBUILDER
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_NO_URL_CAST_FROM_STRING
    QT_STRICT_ITERATORS
    VIGIL_VERSION="${PROJECT_VERSION}")

target_compile_options(vigil_options INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual
    -Wnull-dereference -Wimplicit-fallthrough)

if(VIGIL_WERROR)
    target_compile_options(vigil_options INTERFACE -Werror)
endif()

if(VIGIL_SANITIZE)
    # halt_on_error comes from the environment test.sh sets; -fno-sanitize-recover makes UBSan
    # findings fatal even when someone runs a test binary by hand.
    target_compile_options(vigil_options INTERFACE
        -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
    target_link_options(vigil_options INTERFACE -fsanitize=address,undefined)
endif()
