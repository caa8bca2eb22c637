#include "wat.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>

namespace ward::test {

std::vector<uint8_t> wat_to_wasm(const std::string& wat) {
  char dir_template[] = "/tmp/ward-wat-XXXXXX";
  const char* dir = ::mkdtemp(dir_template);
  if (dir == nullptr) return {};
  const std::string in = std::string(dir) + "/m.wat";
  const std::string out = std::string(dir) + "/m.wasm";
  {
    std::ofstream f(in);
    f << wat;
  }
  const std::string cmd = "wat2wasm '" + in + "' -o '" + out + "'";
  std::vector<uint8_t> bytes;
  if (std::system(cmd.c_str()) == 0) {
    std::ifstream f(out, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  }
  std::remove(in.c_str());
  std::remove(out.c_str());
  ::rmdir(dir);
  return bytes;
}

}  // namespace ward::test
