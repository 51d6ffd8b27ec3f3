#include "server/message_store.hpp"

#include <gtest/gtest.h>

#include "base/files.hpp"
#include "support/temp_dir.hpp"

namespace tlshop::server {
namespace {

TEST(MessageStore, KeepsEachSendersMessagesInOrder) {
  test::TempDir dir;
  MessageStore store(dir.path());
  EXPECT_EQ(store.append("CN=alice", "text/plain", "one").id, 1u);
  EXPECT_EQ(store.append("CN=bob", "text/plain", "two").id, 2u);
  EXPECT_EQ(store.append("CN=alice", "application/xml", "<three/>").id, 3u);
  auto alice = store.list("CN=alice", 0, 100);
  ASSERT_EQ(alice.size(), 2u);
  EXPECT_EQ(alice[0].body, "one");
  EXPECT_EQ(alice[1].content_type, "application/xml");
  EXPECT_EQ(store.list("CN=alice", 1, 100).size(), 1u);
  EXPECT_EQ(store.list("CN=alice", 0, 1).size(), 1u);
  EXPECT_TRUE(store.list("CN=carol", 0, 100).empty());
}

TEST(MessageStore, SurvivesAReopenAndContinuesTheIds) {
  test::TempDir dir;
  {
    MessageStore store(dir.path());
    store.append("CN=alice", "text/plain", "line one\nline two");
  }
  MessageStore reopened(dir.path());
  ASSERT_EQ(reopened.size(), 1u);
  EXPECT_EQ(reopened.list("CN=alice", 0, 10)[0].body, "line one\nline two");
  EXPECT_EQ(reopened.append("CN=alice", "text/plain", "again").id, 2u);
}

TEST(MessageStore, CutsOffALineTornByACrash) {
  test::TempDir dir;
  {
    MessageStore store(dir.path());
    store.append("CN=alice", "text/plain", "kept");
  }
  std::string content = read_file(dir / "messages.jsonl");
  write_file_atomically(dir / "messages.jsonl", content + R"({"id":2,"received_at":"x","sen)",
                        kSecretFileMode);
  MessageStore reopened(dir.path());
  EXPECT_EQ(reopened.size(), 1u);
  EXPECT_EQ(reopened.append("CN=alice", "text/plain", "next").id, 2u);
  MessageStore again(dir.path());
  EXPECT_EQ(again.size(), 2u);
  EXPECT_EQ(again.list("CN=alice", 1, 10)[0].body, "next");
}

}  // namespace
}  // namespace tlshop::server
