# What `cmake --install` puts where (GNU directories under CMAKE_INSTALL_PREFIX): the
# program with its manual pages and completion scripts, the desktop client, libtlshop with its headers, CMake package and pkg-config file, the documents
# and the example programs.
include(CMakePackageConfigHelpers)

set(TLSHOP_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/tlshop)

install(TARGETS tlshop RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${CMAKE_BINARY_DIR}/man/ DESTINATION ${CMAKE_INSTALL_MANDIR})
install(FILES ${CMAKE_BINARY_DIR}/completions/tlshop
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(FILES ${CMAKE_BINARY_DIR}/completions/_tlshop
        DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(TARGETS tlshop-gui RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${CMAKE_BINARY_DIR}/gui-man/man1/tlshop-gui.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES src/gui/tlshop-gui.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(TARGETS tlshop_library EXPORT tlshopTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY src/base/include/ src/api/include/ src/client/include/
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT tlshopTargets NAMESPACE tlshop:: DESTINATION ${TLSHOP_CMAKE_DIR})

configure_package_config_file(cmake/tlshopConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/tlshopConfig.cmake INSTALL_DESTINATION ${TLSHOP_CMAKE_DIR})
# Before 1.0 a new minor version may change the library's interface.
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/tlshopConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/tlshopConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/tlshopConfigVersion.cmake
        DESTINATION ${TLSHOP_CMAKE_DIR})

# The pkg-config file finds its prefix from where it lies, so an installed tree can move.
file(RELATIVE_PATH TLSHOP_PC_PREFIX_FROM_PCDIR
     ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" TLSHOP_PC_PREFIX_FROM_PCDIR "${TLSHOP_PC_PREFIX_FROM_PCDIR}")
configure_file(cmake/tlshop.pc.in ${CMAKE_CURRENT_BINARY_DIR}/tlshop.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/tlshop.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

file(GLOB tlshop_documents docs/*.md docs/*.yaml)
install(FILES README.md ${tlshop_documents} DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES examples/hello_client.cpp examples/async_shop.cpp
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
