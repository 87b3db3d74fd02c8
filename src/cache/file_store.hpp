#pragma once
// A plaintext token cache file in ADAL's TokenCache.serialize() format, so python3-adal
// (and Azure CLI's accessTokens.json readers) can share it. Only used when asked for by
// name (`--store file:PATH`, SPEC §7). The file is private: created 0600, replaced
// atomically (temporary file PATH.aadcred-tmp-XXXXXX + rename; copies a killed writer
// left are removed by the next write), and refused when other users could read it or
// when it is not a regular file (a FIFO is refused at once, never waited on).

#include "cache/store.hpp"

namespace aadcred {

class FileStore : public Store {
  public:
    explicit FileStore(std::string path);

    std::string name() const override { return "file"; }
    std::vector<TokenEntry> load(std::string_view authority, std::string_view client_id) override;
    std::vector<TokenEntry> load_all() override;
    void save(const TokenEntry &entry) override;
    void remove(const TokenEntry &entry) override;

    const std::string &path() const noexcept { return path_; }

  private:
    std::string path_;
};

}  // namespace aadcred
