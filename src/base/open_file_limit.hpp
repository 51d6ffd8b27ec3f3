#pragma once

namespace tlshop {

// Raises this process's limit on open files to the most it may have: a server or load
// generator holding thousands of connections needs a descriptor for each, and the
// usual soft limit of 1024 would refuse them. Does nothing if it cannot.
void raise_open_file_limit();

}  // namespace tlshop
