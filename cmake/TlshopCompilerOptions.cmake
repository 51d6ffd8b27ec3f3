# Compiler settings shared by every tlshop target.

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
endif()

option(TLSHOP_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(TLSHOP_SANITIZE_THREADS "Build with ThreadSanitizer" OFF)
option(TLSHOP_FUZZ "Build the fuzz targets with libFuzzer (clang), under ASan and UBSan" OFF)

add_library(tlshop_options INTERFACE)
target_compile_options(tlshop_options INTERFACE -Wall -Wextra -Werror -Wpedantic)
if(TLSHOP_SANITIZE)
  target_compile_options(tlshop_options INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(tlshop_options INTERFACE -fsanitize=address,undefined)
endif()
if(TLSHOP_SANITIZE_THREADS)
  # Asio fences its handler memory; ThreadSanitizer does not model fences (GCC -Wtsan).
  target_compile_options(tlshop_options INTERFACE -fsanitize=thread -fno-omit-frame-pointer
                                                  -Wno-tsan)
  target_link_options(tlshop_options INTERFACE -fsanitize=thread)
endif()
if(TLSHOP_FUZZ)
  target_compile_options(tlshop_options INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
    -fno-omit-frame-pointer)
  target_link_options(tlshop_options INTERFACE -fsanitize=address,undefined)
endif()

# tlshop_layer(NAME SOURCES... DEPENDS targets...) declares the library for one layer folder.
function(tlshop_layer name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS" ${ARGN})
  add_library(tlshop_${name} STATIC ${ARG_SOURCES})
  target_include_directories(tlshop_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  # include/tlshop/ holds the headers that libtlshop installs for other programs.
  if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/include)
    target_include_directories(tlshop_${name} PUBLIC
      $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>)
  endif()
  target_link_libraries(tlshop_${name} PUBLIC ${ARG_DEPENDS} PRIVATE tlshop_options)
endfunction()
