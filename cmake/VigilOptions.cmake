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

# lld links a test binary about four times faster than ld.bfd (an ASan test: 1.7 s against
# 6.5 s), and CI links about a hundred of them twice. Without lld, the default linker is used.
include(CheckLinkerFlag)
check_linker_flag(CXX "-fuse-ld=lld" VIGIL_HAVE_LLD)
if(VIGIL_HAVE_LLD)
    target_link_options(vigil_options INTERFACE -fuse-ld=lld)
endif()

if(VIGIL_SANITIZE)
    # halt_on_error comes from the environment test.sh sets; -fno-sanitize-recover makes UBSan
    # findings fatal even when someone runs a test binary by hand.
    target_compile_options(vigil_options INTERFACE
        -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
    target_link_options(vigil_options INTERFACE -fsanitize=address,undefined)
endif()
