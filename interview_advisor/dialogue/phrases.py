"""Everything the bot says in its own words, apart from the rule base's advice.

Replies are built from these in :mod:`.compose`; renderers never write text of their own
beyond headings. This module imports nothing.
"""

INTRO = (
    "Hi, I'm an interview advisor. Tell me in your own words how an interview went or what "
    "you're trying to decide - for example \"the recruiter couldn't say what the job is\" or "
    "\"I just got a raise, should I keep interviewing?\". I'll point out red flags (quoting "
    "your words), suggest next steps, explain my reasoning and draft messages for you.\n"
    "Privacy: I run offline - nothing you type is sent to any other service. I keep this "
    "conversation on this server for up to {days} days after your last message, so you can come "
    "back to it; say \"delete my data\" to erase it at any time. I give general career "
    "guidance, not legal advice.")
#: the introduction sent after a direct answer that opened the conversation: no "Hi" and no
#: invitation to start, which would read as if the answer above it had not happened
INTRO_AFTER_ANSWER = (
    "About me: I'm an interview advisor. Tell me more whenever you like - how an interview went "
    "or what you're deciding - and I'll point out red flags (quoting your words), suggest next "
    "steps, explain my reasoning and draft messages for you.\n" + INTRO.split("\n", 1)[1])
GREET_AGAIN = "Hi again! Tell me what's happened since, or say \"summary\" to see where we are."
HELP = (
    "Here's what I can do:\n"
    "- Spot red flags in how an interview went and tell you why they matter "
    "(try: \"they couldn't tell me what the job actually is\").\n"
    "- Help you decide: keep interviewing, withdraw, or take an offer "
    "(try: \"I just got a raise, should I keep interviewing?\").\n"
    "- Explain my advice (\"why?\"), list everything so far (\"summary\").\n"
    "- Draft a message: withdrawing, a thank-you note, declining an offer, or telling your "
    "manager about an internal role (\"draft it\").\n"
    "- Fix what I got wrong (\"it's external actually\", \"they weren't vague\").\n"
    "- Tell me whether my advice helped (\"that helped\", \"not helpful\").\n"
    "- Start over (\"restart\").")
OUT_OF_SCOPE = (
    "Sorry, that's outside what I can help with. I'm an interview advisor: I can spot red "
    "flags in an interview, help you decide whether to keep interviewing, withdraw or take an "
    "offer, explain my advice, and draft messages such as a withdrawal or a thank-you note. "
    "Try telling me how your last interview went.")
ASK_REPHRASE = (
    "Sorry, I didn't quite get that. Could you put it another way? For example: \"the "
    "interview was vague about the role\", \"should I keep interviewing?\", \"it's an internal "
    "role\", \"why?\", \"summary\" or \"draft a withdrawal email\".")
DEFAULT = (
    "I'm still not sure what you mean, sorry. Tell me in a sentence how your interview went or "
    "what you're deciding, or say \"help\" to see what I can do.")
RESTART = (
    "Done - I've forgotten everything you told me in this conversation. Tell me about a new "
    "interview or dilemma whenever you're ready.")
GOODBYE = "Good luck with your interviews! Come back any time - say \"restart\" to begin afresh."
YOURE_WELCOME = "You're welcome! Anything else - \"summary\", \"why?\", or \"draft it\"?"
IAMABOT = (
    "I'm a bot - an offline interview advisor built with Rasa. My advice comes from a rule base "
    "you can read, and nothing you type leaves this machine.")
DID_YOU_MEAN = "Sorry, I'm not sure I understood. Did you want to {description}?"
SOMETHING_ELSE = "No, something else"
WHAT_NEXT = "What next?"
ERROR = "Sorry, something went wrong on my side. Please try again in a moment."

# advice
TRUNCATED = ("Your message was very long ({chars:,} characters), so I only read the first "
             "{limit:,}.")
QUESTION_DROPPED = "No problem - let's leave that question open."
NO_WORDS = ("I didn't get any words there. Tell me in a sentence or two how the interview went "
            "or what you're unsure about.")
NO_FLAGS = "I didn't spot any red flags in what you wrote."
NO_ADVICE_YET = ("I don't have specific advice for you yet - tell me a bit more about the "
                 "interview or your situation.")
QUESTIONS_TO_ASK = ("Here is what I would ask them - the questions are under each piece of "
                    "advice below, with what to do next.")
QUESTIONS_NONE_YET = ("I have no particular questions for them yet - tell me a bit more about "
                      "the role and how it's going, and I'll suggest what to ask.")
ADVICE_UNCHANGED = ("That doesn't change my advice. Say \"summary\" to see all of it, or "
                    "\"why\" for my reasoning.")
AFTER_ADVICE = "Say \"why\" for my reasoning, \"summary\" for a checklist"
TYPED_CHOICES = "You can also say: {choices}."   # a terminal's choices, as words to type
DRAFT_HINT = ", or \"draft it\" and I'll write the message ({title})"

# corrections
CORRECTION_UNCLEAR = ("I'm not sure what to correct. {state} Tell me what's wrong, e.g. "
                      "\"it's external\" or \"they weren't vague\".")
NOTHING_APPLIES = ("With that, none of my advice applies any more - tell me more if something "
                   "else is on your mind.")
NOTHING_NOTED = "I haven't noted anything yet."
FACT_FORGOTTEN = "OK, I've forgotten what you said about this - {title}: {label}."

# why / summary
WHY_GONE = ("Since your correction, the advice I gave before no longer applies, and I have "
            "nothing new to explain. Tell me more and I'll look again.")
WHY_NOTHING_YET = ("I haven't given you any advice yet, so there's nothing to explain. Tell me "
                   "how the interview went or what you're deciding, and I'll show my reasoning.")
SOME_ADVICE_GONE = "Some earlier advice no longer applies after your correction: {rules}."
SUMMARY_EMPTY = ("Nothing to summarise yet - tell me how your interview went or what you're "
                 "trying to decide, and I'll start a checklist.")

# drafts
LETS_WRITE = "Let's write it: {title}."
LETS_WRITE_MISSING = "Let's write it: {title}. I need {count} detail{s} from you."
DRAFT_DROPPED = "OK, I've dropped the draft. Say \"draft it\" whenever you want one."
FILL_BRACKETS = "Fill in the parts in [brackets] before you send it."
READ_IT_THROUGH = ("Read it through, adjust the tone to your own voice, and send it when you're "
                   "ready.")
WHICH_MESSAGE = "Which message should I write?"
PLACEHOLDER_HINT = "{question} (say \"skip\" to leave it blank, \"stop\" to drop the draft)"
WHAT_TO_PUT = "What should I put in the message?"

# feedback
THANKS_HELPFUL = ("You're welcome - glad it helped. I've noted that this advice was "
                  "useful.")
THANKS_UNHELPFUL = ("Thanks for telling me - I've noted that this advice didn't help. Tell me "
                    "more about your situation and I'll look again, or say \"summary\".")
NOTHING_TO_RATE = ("Thanks! There's no advice to rate yet - tell me how your interview went "
                   "first.")
# "this is useless" before any advice: frustration with the bot itself, answered calmly with
# what it can do and how to get going (not a rating, not the fallback).
NOTHING_HELPED_YET = (
    "Sorry this hasn't been useful so far. I'm an interview advisor: I can spot red flags in "
    "how an interview went, help you decide whether to keep interviewing, withdraw or take an "
    "offer, and draft messages for you. Tell me in a sentence or two what happened or what "
    "you're deciding, or say \"help\" to see everything I can do.")

# faults on our side (stores/faults.py sends these from the Rasa server)
STORE_FAILED = ("Sorry, something went wrong on my side and I couldn't save our conversation. "
                "Please try again in a moment.")
ACTIONS_UNAVAILABLE = "Sorry, I can't analyse that right now. Please try again in a moment."

# privacy
FORGET_CONFIRM = ("Do you want me to delete this conversation and your ratings? Everything you "
                  "told me will be gone and I can't undo it.")
FORGET_YES = "Yes"   # a plain yes/no: NLU reads "delete everything" as a new request
FORGET_NO = "No"
FORGOTTEN = ("Done - I've deleted this conversation and your ratings. If you write again, we "
             "start from scratch.")
KEPT = "OK, I've kept everything. Carry on whenever you like."

# several opportunities (issue 12)
ABOUT = "About {name}:"
ALL_OPPORTUNITIES = "Everything so far, for each of them ({names}):"
WHICH_ONE = "Which one is this about?"
SWITCHED = "Back to {name}."
NOTED_ELSEWHERE = "For {name} I noted: {items}."
OPTIONS_NOTED = "I'll keep these apart: {names}."
PRIORITIES_NOTED = "Got it - what matters most to you: {order}. I'll weigh the options that way."
ASK_PRIORITIES = ("What matters most to you? Pick one, or tell me in your own words (\"pay "
                  "matters most, then growth\") and I'll weigh them again.")
PRIORITY_PAYLOAD = "{title} matters most"
COMPARE_INTRO = "Here they are side by side, against what matters to you ({order}):"
#: a factor of a topic the person ranked, weighed with it ("Commute and flexibility (part of
#: work-life balance)")
PART_OF = "{title} (part of {broader})"
COMPARE_INTRO_ASSUMED = ("Here they are side by side (you haven't ranked what matters to you, so "
                         "every topic weighs the same):")
COMPARE_NEED_TWO = ("There's only one opportunity so far - tell me about the others (the "
                    "company or role, and what you know about each), then say \"compare them\". "
                    "If staying where you are is one of the options, say so and tell me how "
                    "your current job is going: I'll put it in the table too.")
COMPARE_CLOSING = ("The gaps are questions to ask each employer; tell me the answers and I'll "
                   "compare again. Say \"summary\" for everything per option.")
VERDICT_ONE = ("There is only one opportunity to compare so far - tell me about the others "
               "(company or role, and what you know about each).")
VERDICT_TIE = ("From what you've told me I can't separate {first} and {second} yet - the gaps "
               "decide it.")
VERDICT_RANKED = "On {basis} and what you've told me: {ranking}."
VERDICT_BASIS = "your priorities"
VERDICT_BASIS_ASSUMED = "all topics weighing the same (you haven't ranked them)"
VERDICT_THEN = ", then "
REASON_GAP = "{name}: nothing yet on {topic}"
REASON_FLAG = "{name}: {topic} - red flag: {flags}"
REASON_FOR = "{name}: {topic} counts for it (you said \"{said}\")"
REASON_AGAINST = "{name}: {topic} counts against it (you said \"{said}\")"
CONFIDENCE = {"high": "fairly sure", "medium": "somewhat sure", "low": "not sure"}
