#include "server/message_store.hpp"

#include <gtest/gtest.h>

#include "base/files.hpp"
#include "server/json_lines_log.hpp"
#include "support/store_under_test.hpp"
#include "support/temp_dir.hpp"

namespace tlshop::server {
namespace {

using Status = shop::MessageOutcome::Status;

// The message store's rules, held with either store underneath.
class MessageStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  test::TempDir dir;
  std::unique_ptr<test::StoreUnderTest> under_test;
  shop::Store* store = nullptr;

  void SetUp() override {
    std::string why_not;
    under_test = test::StoreUnderTest::make(GetParam(), why_not);
    if (!under_test) GTEST_SKIP() << why_not;
    store = &under_test->store();
  }

  static std::int64_t id_of(const shop::MessageOutcome& outcome) {
    EXPECT_EQ(outcome.status, Status::kStored);
    return outcome.message.id;
  }
};

TEST_P(MessageStoreTest, KeepsEachOwnersMessagesInOrder) {
  MessageStore messages(*store, {});
  std::int64_t first = id_of(messages.append("sha256//alice", "text/plain", "one"));
  std::int64_t second = id_of(messages.append("sha256//bob", "text/plain", "two"));
  std::int64_t third = id_of(messages.append("sha256//alice", "application/xml", "<three/>"));
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
  auto alice = messages.list("sha256//alice", 0, 100);
  ASSERT_EQ(alice.size(), 2u);
  EXPECT_EQ(alice[0].body, "one");
  EXPECT_EQ(alice[1].content_type, "application/xml");
  EXPECT_EQ(messages.list("sha256//alice", static_cast<std::uint64_t>(first), 100).size(), 1u);
  EXPECT_EQ(messages.list("sha256//alice", 0, 1).size(), 1u);
  EXPECT_TRUE(messages.list("sha256//carol", 0, 100).empty());
}

TEST_P(MessageStoreTest, QuotasPerOwnerAndForEveryoneRefuseAndStoreNothing) {
  MessageSettings settings;
  settings.quota = {2, 10, 15};
  MessageStore messages(*store, settings);
  id_of(messages.append("alice", "text/plain", "12345"));
  id_of(messages.append("alice", "text/plain", "12345"));
  EXPECT_EQ(messages.append("alice", "text/plain", "1").status, Status::kTooMany);
  EXPECT_EQ(messages.append("bob", "text/plain", "12345678901").status, Status::kTooLarge);
  EXPECT_EQ(messages.append("bob", "text/plain", "123456").status, Status::kStoreFull);
  id_of(messages.append("bob", "text/plain", "12345"));
  EXPECT_EQ(messages.list("alice", 0, 100).size(), 2u);
  EXPECT_EQ(messages.list("bob", 0, 100).size(), 1u);
}

TEST_P(MessageStoreTest, APageStopsAtItsByteLimitButHoldsAtLeastOneMessage) {
  MessageSettings settings;
  settings.max_page_bytes = 10;
  MessageStore messages(*store, settings);
  for (int i = 0; i < 4; ++i) id_of(messages.append("alice", "text/plain", "123456"));
  EXPECT_EQ(messages.list("alice", 0, 100).size(), 1u);
  settings.max_page_bytes = 12;
  EXPECT_EQ(MessageStore(*store, settings).list("alice", 0, 100).size(), 2u);
  id_of(messages.append("bob", "text/plain", std::string(100, 'x')));
  EXPECT_EQ(messages.list("bob", 0, 100).size(), 1u);
}

TEST_P(MessageStoreTest, OldMessagesAreDeletedAndTheirIdsNeverComeBack) {
  shop::MessageQuota quota;
  std::int64_t old_id =
      store->append_message("alice", {0, "2020-01-01T00:00:00.000Z", "text/plain", "old"}, quota)
          .message.id;
  MessageStore messages(*store, {});  // deletes what is past the 30 days
  EXPECT_TRUE(messages.list("alice", 0, 100).empty());
  EXPECT_GT(id_of(messages.append("alice", "text/plain", "new")), old_id);
  id_of(messages.append("alice", "text/plain", "within the quota again"));
}

TEST_P(MessageStoreTest, ALegacyFileIsImportedLineByLineAndListedToNobody) {
  write_file_atomically(
      dir / "messages.jsonl",
      std::string(R"({"id":7,"received_at":"2099-01-01T00:00:00.000Z","sender":"CN=alice",)"
                  R"("content_type":"text/plain","body":"kept"})"
                  "\n"
                  "not json\n"
                  R"({"id":9,"received_at":"2099-01-01T00:00:01.000Z","sen)"),
      kSecretFileMode);
  JsonLinesLog audit(dir / "audit.log");
  MessageStore messages(*store, {});
  messages.import_legacy_file(dir.path(), audit);
  EXPECT_FALSE(std::filesystem::exists(dir / "messages.jsonl"));
  EXPECT_TRUE(std::filesystem::exists(dir / "messages.jsonl.imported"));
  EXPECT_NE(read_file(dir / "audit.log").find(R"("event":"messages_imported")"), std::string::npos);
  // Filed by a subject name, which any CA could write: nobody's to list.
  EXPECT_EQ(store->messages("subject:CN=alice", 0, 10, 1 << 20).size(), 1u);
  EXPECT_TRUE(messages.list("CN=alice", 0, 10).empty());
  EXPECT_GT(id_of(messages.append("sha256//alice", "text/plain", "new")), 7);
  messages.import_legacy_file(dir.path(), audit);  // nothing left to import
}

INSTANTIATE_TEST_SUITE_P(Stores, MessageStoreTest, ::testing::ValuesIn(test::kStoreKinds),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace tlshop::server
