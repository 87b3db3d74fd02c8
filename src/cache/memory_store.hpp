#pragma once
// A process-local store: for unit tests and `--store memory` (tokens die with the process).

#include <mutex>

#include "cache/store.hpp"

namespace aadcred {

class MemoryStore : public Store {
  public:
    std::string name() const override { return "memory"; }
    std::vector<TokenEntry> load(std::string_view authority, std::string_view client_id) override;
    std::vector<TokenEntry> load_all() override;
    void save(const TokenEntry &entry) override;
    void remove(const TokenEntry &entry) override;

  private:
    std::mutex mutex_;
    std::vector<TokenEntry> entries_;
};

}  // namespace aadcred
